package tierd.planner;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import tierd.process.ProcessFilter;

/**
 * One entry of {@code classes:}: which processes it holds (the matchers of {@code processes:}) and
 * the fast-tier share they are planned with. A class matched by cgroup makes one tenant per cgroup
 * (two containers get two shares); otherwise all of its processes are one tenant.
 *
 * @param name the class name (a metric label: letters, digits, {@code _ . -})
 * @param matcher comm, exe and cgroup matchers; its size and pid fields are not used
 * @param fastMin the floor: fast-tier bytes the tenant keeps before others above theirs give way
 * @param fastMax the ceiling: fast-tier bytes it is promoted to only by exchange within itself
 * @param priority among tenants above their floor, the lower priority gives room first
 */
public record TenantClass(
    String name,
    ProcessFilter matcher,
    Optional<FastShare> fastMin,
    Optional<FastShare> fastMax,
    int priority) {

  /** The name of the class that holds every process no other class matches. */
  public static final String DEFAULT_NAME = "default";

  /** The default class when the config names none: no floor, no ceiling, priority 0. */
  public static final TenantClass DEFAULT =
      new TenantClass(DEFAULT_NAME, ProcessFilter.all(-1), Optional.empty(), Optional.empty(), 0);

  /** The ceiling in bytes for a tenant with {@code residentBytes}; Long.MAX_VALUE when none. */
  public long ceilingBytes(long residentBytes) {
    return fastMax.map(share -> share.bytesOf(residentBytes)).orElse(Long.MAX_VALUE);
  }

  /**
   * The floor in bytes for a tenant with {@code residentBytes}, no higher than its ceiling; 0 when
   * none.
   */
  public long floorBytes(long residentBytes) {
    return Math.min(
        ceilingBytes(residentBytes), fastMin.map(share -> share.bytesOf(residentBytes)).orElse(0L));
  }

  /** True when its tenants are per cgroup. */
  public boolean perCgroup() {
    return !matcher.cgroupGlobs().isEmpty();
  }

  /**
   * True when a process with {@code comm}, in {@code cgroupPath}, whose command line's first word
   * {@code argv0} gives (read only when an exe matcher needs it), belongs to this class.
   */
  public boolean matches(String comm, String cgroupPath, Supplier<String> argv0) {
    return matcher.matchesComm(comm)
        && matcher.matchesCgroup(List.of(cgroupPath))
        && (matcher.exe().isEmpty() || matcher.matchesExe(argv0.get()));
  }
}
