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

  public static String text(String resource) {
    try {
      return Files.readString(path(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
