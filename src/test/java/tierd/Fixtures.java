package tierd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import tierd.kernelfs.KernelRoot;

/** Access to the fixture trees and sample files under src/test/resources. */
public final class Fixtures {

  private Fixtures() {}

  /** A resource directory or file as a path. */
  public static Path path(String resource) {
    try {
      var url = Fixtures.class.getResource("/" + resource);
      if (url == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A kernel root over {@code fixtures/<name>}. */
  public static KernelRoot root(String name) {
    return KernelRoot.under(path("fixtures/" + name));
  }

  /** Copies a fixture tree (or any directory) so that a test may change it. */
  public static void copyTree(Path from, Path to) {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path d = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(d);
        } else {
          Files.createDirectories(d.getParent());
          Files.copy(p, d);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies process {@code from} of a fixture tree to pid {@code to}: its directory, with the pid
   * rewritten where the kernel prints it (stat field 1; status Tgid, Pid, NStgid, NSpid). The copy
   * has the same start time, so it is a second process with the same address space.
   */
  public static void clonePid(Path root, int from, int to) {
    Path dir = root.resolve("proc/" + to);
    copyTree(root.resolve("proc/" + from), dir);
    try {
      Path stat = dir.resolve("stat");
      Files.writeString(stat, Files.readString(stat).replaceFirst("^" + from + " ", to + " "));
      Path status = dir.resolve("status");
      Files.writeString(
          status,
          Files.readString(status)
              .replaceAll("(?m)^(Tgid|Pid|NStgid|NSpid):\\t" + from + "$", "$1:\t" + to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String resource) {
    try {
      return Files.readString(path(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
