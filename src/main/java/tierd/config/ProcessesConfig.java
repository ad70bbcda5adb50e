package tierd.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tierd.model.DataSize;
import tierd.process.ProcessFilter;

/**
 * {@code processes:} which processes tierd manages, and how often it reads their numa_maps.
 *
 * @param numaMapsMaxAge the longest a process's numa_maps may go unread while its maps and RSS stay
 *     the same (zero: read every cycle); see {@link tierd.process.ProcessScanner#numaMapsMaxAge}
 */
public record ProcessesConfig(
    Optional<Pattern> comm,
    Optional<Pattern> exe,
    List<String> cgroups,
    DataSize minRss,
    Duration numaMapsMaxAge) {

  public static final ProcessesConfig DEFAULTS =
      new ProcessesConfig(
          Optional.empty(),
          Optional.empty(),
          List.of(),
          DataSize.ofMiB(16),
          Duration.ofSeconds(30));

  static ProcessesConfig from(ConfigNode n) {
    ProcessFilter matchers = matchers(n);
    return new ProcessesConfig(
        matchers.comm(),
        matchers.exe(),
        matchers.cgroupGlobs(),
        n.size("minRss", DEFAULTS.minRss, DataSize.ZERO, DataSize.ofGiB(1 << 20)),
        n.duration("numaMapsMaxAge", DEFAULTS.numaMapsMaxAge, Duration.ZERO, Duration.ofHours(1)));
  }

  /**
   * The process matchers of a section, {@code comm} and {@code exe} (regular expressions that must
   * match in full) and {@code cgroups} (absolute path globs), as {@code processes:} and each entry
   * of {@code classes:} spell them; the filter's size and pid fields are unset.
   */
  static ProcessFilter matchers(ConfigNode n) {
    List<String> cgroups = n.strings("cgroups");
    for (String g : cgroups) {
      if (!g.startsWith("/")) {
        throw n.error("cgroups", "'" + g + "' must be an absolute cgroup path glob (start with /)");
      }
    }
    return new ProcessFilter(n.regex("comm"), n.regex("exe"), cgroups, 0, -1);
  }

  /**
   * {@link #numaMapsMaxAge} in cycles of {@code interval}, at least 1 (every cycle): 30 s at a 5 s
   * interval is 6.
   */
  public int numaMapsMaxAgeCycles(Duration interval) {
    long n = numaMapsMaxAge.toMillis() / Math.max(1, interval.toMillis());
    return (int) Math.max(1, Math.min(n, 1 << 20));
  }

  public ProcessFilter filter(long selfPid) {
    return new ProcessFilter(comm, exe, cgroups, minRss.bytes(), selfPid);
  }
}
