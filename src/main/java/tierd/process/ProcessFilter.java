package tierd.process;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which processes tierd manages. A process is managed when it is a user process (never a kernel
 * thread, never tierd itself), its comm matches {@code comm} (if set), its command line's first
 * word matches {@code exe} (if set), one of its cgroup paths matches one of {@code cgroupGlobs} (if
 * any), and its RSS is at least {@code minRssBytes}.
 */
public record ProcessFilter(
    Optional<Pattern> comm,
    Optional<Pattern> exe,
    List<String> cgroupGlobs,
    long minRssBytes,
    long selfPid) {

  public ProcessFilter {
    cgroupGlobs = List.copyOf(cgroupGlobs);
  }

  /** Everything but kernel threads and tierd itself. */
  public static ProcessFilter all(long selfPid) {
    return new ProcessFilter(Optional.empty(), Optional.empty(), List.of(), 0, selfPid);
  }

  public boolean matchesComm(String c) {
    return comm.map(p -> p.matcher(c).matches()).orElse(true);
  }

  public boolean matchesExe(String argv0) {
    return exe.map(p -> p.matcher(argv0).matches()).orElse(true);
  }

  /** Glob over cgroup paths, e.g. {@code /system.slice/*.service} ({@code **} crosses '/'). */
  public boolean matchesCgroup(List<String> paths) {
    if (cgroupGlobs.isEmpty()) {
      return true;
    }
    for (String g : cgroupGlobs) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + g);
      for (String p : paths) {
        if (m.matches(Path.of(p))) {
          return true;
        }
      }
    }
    return false;
  }
}
