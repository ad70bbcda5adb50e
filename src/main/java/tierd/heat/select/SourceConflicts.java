package tierd.heat.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tierd.heat.SourceKind;
import tierd.heat.damon.DamonFs;
import tierd.heat.damon.DamonModules;
import tierd.heat.damon.DamonStatus;
import tierd.kernelfs.KernelRoot;
import tierd.source.sys.TieringKnobs;

/**
 * Finds conflicts between tierd's heat sources and other users of the same kernel mechanisms:
 *
 * <ul>
 *   <li>the kernel's NUMA-balancing tiering mode is on ({@code numa_balancing} & 2,
 *       Documentation/admin-guide/sysctl/kernel.rst);
 *   <li>a foreign kdamond runs (one tierd did not create), also one of a kernel DAMON module
 *       (DAMON_RECLAIM, DAMON_LRU_SORT: paddr, outside the sysfs admin tree);
 *   <li>two mechanisms clear the same Accessed bits: DAMON (vaddr on a pid tierd watches, or paddr,
 *       which covers all memory), idle-page tracking and clear_refs each reset the bits the others
 *       read, so each sees fewer accesses than happened ("DAMON does nothing to avoid disturbing
 *       Idle page tracking", Documentation/mm/damon/design.rst).
 * </ul>
 *
 * Pure given its inputs ({@link #check}); {@link #read} gathers them.
 */
public final class SourceConflicts {

  private SourceConflicts() {}

  /** A heat source tierd runs, and the pids it watches. */
  public record ActiveSource(SourceKind kind, Set<Integer> pids) {
    public ActiveSource {
      pids = Set.copyOf(pids);
    }
  }

  /**
   * @param ownKdamonds indexes of the kdamonds tierd itself created (not conflicts)
   */
  public static List<Conflict> read(
      KernelRoot root, DamonFs damonFs, Set<Integer> ownKdamonds, List<ActiveSource> active) {
    return check(TieringKnobs.read(root), DamonStatus.read(damonFs, root), ownKdamonds, active);
  }

  public static List<Conflict> check(
      TieringKnobs knobs, DamonStatus damon, Set<Integer> ownKdamonds, List<ActiveSource> active) {
    List<Conflict> out = new ArrayList<>();
    if (knobs.kernelTieringOn()) {
      out.add(
          new Conflict(
              Conflict.Type.KERNEL_NUMA_TIERING,
              "NUMA balancing tiering mode is on (numa_balancing="
                  + knobs.numaBalancing().orElse(0)
                  + "): the kernel promotes pages too, outside tierd's rules"));
    }
    if (knobs
        .numaBalancing()
        .map(v -> (v & TieringKnobs.NUMA_BALANCING_NORMAL) != 0)
        .orElse(false)) {
      out.add(
          new Conflict(
              Conflict.Type.KERNEL_NUMA_BALANCING,
              "NUMA balancing is on (numa_balancing="
                  + knobs.numaBalancing().orElse(0)
                  + "): the kernel migrates pages toward the CPUs that touch them, also out of"
                  + " CPU-less nodes, outside tierd's rules"));
    }
    List<DamonStatus.Kdamond> foreign =
        damon.kdamonds().stream().filter(k -> k.on() && !ownKdamonds.contains(k.index())).toList();
    for (DamonStatus.Kdamond k : foreign) {
      out.add(
          new Conflict(
              Conflict.Type.FOREIGN_DAMON,
              "foreign kdamond " + k.index() + " running " + k.describe()));
    }
    for (DamonModules.ModuleKdamond m : damon.moduleKdamonds()) {
      out.add(new Conflict(Conflict.Type.FOREIGN_DAMON, "foreign kdamond of " + m.describe()));
    }
    List<ActiveSource> clearing =
        active.stream().filter(a -> a.kind().clearsAccessedBits()).toList();
    for (int i = 0; i < clearing.size(); i++) {
      for (int j = i + 1; j < clearing.size(); j++) {
        ActiveSource a = clearing.get(i);
        ActiveSource b = clearing.get(j);
        Set<Integer> both = overlap(a.kind().physical(), a.pids(), b.kind().physical(), b.pids());
        if (!both.isEmpty()) {
          out.add(
              new Conflict(
                  Conflict.Type.SHARED_ACCESSED_BITS,
                  a.kind().label()
                      + " and "
                      + b.kind().label()
                      + " both clear the Accessed bits of pids "
                      + pids(both)));
        }
      }
    }
    for (DamonStatus.Kdamond k : foreign) {
      sharedWithForeign(
          "foreign kdamond " + k.index() + " (" + k.describe() + ")",
          !k.virtual(),
          Set.copyOf(k.targetPids()),
          clearing,
          out);
    }
    for (DamonModules.ModuleKdamond m : damon.moduleKdamonds()) {
      sharedWithForeign(
          "foreign kdamond of " + m.describe() + " (paddr)", true, Set.of(), clearing, out);
    }
    return out;
  }

  /** A foreign kdamond that clears the Accessed bits of memory one of tierd's sources reads. */
  private static void sharedWithForeign(
      String foreign,
      boolean physical,
      Set<Integer> targetPids,
      List<ActiveSource> clearing,
      List<Conflict> out) {
    for (ActiveSource a : clearing) {
      Set<Integer> both = overlap(physical, targetPids, a.kind().physical(), a.pids());
      if (!both.isEmpty()) {
        out.add(
            new Conflict(
                Conflict.Type.SHARED_ACCESSED_BITS,
                foreign
                    + " and "
                    + a.kind().label()
                    + " both clear the Accessed bits of pids "
                    + pids(both)));
      }
    }
  }

  /**
   * Pids whose bits both sides clear. A physical side covers every pid the other side watches; two
   * physical sides overlap everywhere (reported as the union of their pids, or "all").
   */
  static Set<Integer> overlap(
      boolean aPhysical, Set<Integer> a, boolean bPhysical, Set<Integer> b) {
    Set<Integer> out = new TreeSet<>();
    if (aPhysical && bPhysical) {
      out.addAll(a);
      out.addAll(b);
      if (out.isEmpty()) {
        out.add(-1);
      }
    } else if (aPhysical) {
      out.addAll(b);
    } else if (bPhysical) {
      out.addAll(a);
    } else {
      out.addAll(a);
      out.retainAll(b);
    }
    return out;
  }

  private static String pids(Set<Integer> pids) {
    if (pids.contains(-1)) {
      return "(all memory)";
    }
    return pids.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
  }
}
