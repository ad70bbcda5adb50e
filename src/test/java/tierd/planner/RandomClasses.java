package tierd.planner;

import static tierd.planner.Fixtures.GiB;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;

/**
 * Random {@code classes:} over a {@link RandomWorld}'s processes, reproducible from the seed: 1–3
 * classes that match random sets of processes by comm (a third of them per cgroup, so each of their
 * processes is a tenant of its own), with random floors and ceilings (none, bytes, or a share of
 * resident memory) and priorities; the rest fall into {@code default}, which sometimes has a floor
 * of its own. The world itself is the one {@code RandomWorld.generate(seed, false)} makes.
 */
final class RandomClasses {

  private RandomClasses() {}

  static RandomWorld world(long seed) {
    RandomWorld world = RandomWorld.generate(seed, false);
    SplittableRandom rnd = new SplittableRandom(seed * 7919 + 17);
    List<TenantClass> classes = new ArrayList<>();
    int count = 1 + rnd.nextInt(3);
    for (int c = 0; c < count; c++) {
      List<String> comms = new ArrayList<>();
      for (ManagedProcess p : world.processes) {
        if (rnd.nextInt(count + 1) == 0) {
          comms.add(p.comm());
        }
      }
      if (comms.isEmpty()) {
        comms.add(world.processes.get(rnd.nextInt(world.processes.size())).comm());
      }
      List<String> cgroups = rnd.nextInt(3) == 0 ? List.of("/p*") : List.of();
      ProcessFilter matcher =
          new ProcessFilter(
              Optional.of(Pattern.compile(String.join("|", comms))),
              Optional.empty(),
              cgroups,
              0,
              -1);
      Optional<FastShare> floor = share(rnd);
      Optional<FastShare> ceiling = share(rnd);
      classes.add(new TenantClass("c" + c, matcher, floor, ceiling, rnd.nextInt(5) - 2));
    }
    if (rnd.nextBoolean()) {
      classes.add(
          new TenantClass(
              TenantClass.DEFAULT_NAME, ProcessFilter.all(-1), share(rnd), share(rnd), 0));
    }
    return world.withTenancy(Tenancy.assign(classes, world.processes, pid -> "/bin/p" + pid));
  }

  /** None, bytes up to 4 GiB, or up to 100 % of resident memory. */
  private static Optional<FastShare> share(SplittableRandom rnd) {
    return switch (rnd.nextInt(3)) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(FastShare.ofBytes(rnd.nextLong(4 * GiB)));
      default -> Optional.of(FastShare.ofResident(rnd.nextInt(101) / 100.0));
    };
  }
}
