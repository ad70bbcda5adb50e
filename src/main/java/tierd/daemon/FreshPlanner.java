package tierd.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelFsException;
import tierd.metrics.ScanMetrics;
import tierd.planner.Move;
import tierd.planner.PlanInput;
import tierd.planner.PlanResult;
import tierd.planner.Planner;
import tierd.planner.PlannerState;
import tierd.planner.RegionPlacement;
import tierd.planner.Tenancy;
import tierd.planner.TenantClass;
import tierd.process.ManagedProcess;
import tierd.process.ProcessCpus;
import tierd.process.ProcessScanner;
import tierd.process.Vma;
import tierd.scoring.ScoringResult;
import tierd.topology.Topology;

/**
 * The "plan" stage: plans, and makes sure that every process the plan moves pages of had its
 * numa_maps read this cycle. The scan may have kept a quiet process's VMAs from an earlier cycle
 * ({@code processes.numaMapsMaxAge}); those processes' maps and numa_maps are read again, and if
 * they changed (a policy, a VMA, pages the kernel moved) the plan is made again from the same
 * planner state with the new VMAs, until every process with a move is fresh. A process gone
 * meanwhile drops out. So no move rests on a policy, cpuset or placement older than this cycle.
 *
 * <p>Logs as {@code TieringCycle}, like the rest of the cycle.
 */
final class FreshPlanner {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  private final ProcessScanner scanner;
  private final ScanMetrics scanMetrics;
  private List<TenantClass> classes = List.of();

  /**
   * @param scanner the cycle's scanner: it knows which processes it read this scan
   * @param scanMetrics counts each re-read as numa_maps "rechecked"
   */
  FreshPlanner(ProcessScanner scanner, ScanMetrics scanMetrics) {
    this.scanner = scanner;
    this.scanMetrics = scanMetrics;
  }

  /** The {@code classes:} of the config in force: each plan puts the processes in their tenants. */
  void classes(List<TenantClass> newClasses) {
    classes = List.copyOf(newClasses);
  }

  /**
   * @param placeVmas what re-read VMAs become before planning (the what-if tiers place them on
   *     simulated nodes; otherwise unchanged)
   * @param cpus where the processes' threads ran this cycle ({@link PlanInput#cpus})
   * @param capacities the demotion-only nodes' usable bytes now ({@link PlanInput#capacityBytes})
   */
  PlanResult plan(
      Planner planner,
      PlannerState state,
      Instant now,
      Topology topo,
      List<ManagedProcess> procs,
      ScoringResult scores,
      List<RegionPlacement> placements,
      UnaryOperator<List<Vma>> placeVmas,
      Map<Integer, ProcessCpus> cpus,
      Map<Integer, Long> capacities) {
    List<ManagedProcess> current = procs;
    for (int round = 1; ; round++) {
      PlanResult planned =
          planner.plan(
              new PlanInput(
                  now,
                  topo,
                  current,
                  scores.regions(),
                  scores.thresholds(),
                  placements,
                  Tenancy.assign(classes, current, scanner::argv0),
                  cpus,
                  capacities),
              state);
      Map<Integer, List<Vma>> changed = new HashMap<>();
      Set<Integer> gone = new HashSet<>();
      for (Move m : planned.plan().moves()) {
        int pid = m.pid();
        if (scanner.readThisScan(pid) || gone.contains(pid)) {
          continue;
        }
        scanMetrics.numaMaps("rechecked", 1);
        try {
          scanner.refresh(pid, m.startTimeTicks()).ifPresent(v -> changed.put(pid, v));
        } catch (KernelFsException e) {
          gone.add(pid);
        }
      }
      if (changed.isEmpty() && gone.isEmpty()) {
        return planned;
      }
      log.debug(
          "plan round {}: numa_maps changed since it was last read for pids {}, gone {}: planning"
              + " again",
          round,
          changed.keySet(),
          gone);
      List<ManagedProcess> next = new ArrayList<>(current.size());
      for (ManagedProcess p : current) {
        if (gone.contains(p.pid())) {
          continue;
        }
        List<Vma> vmas = changed.get(p.pid());
        next.add(vmas == null ? p : p.withVmas(placeVmas.apply(vmas)));
      }
      current = next;
    }
  }
}
