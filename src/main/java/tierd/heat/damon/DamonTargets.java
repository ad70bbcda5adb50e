package tierd.heat.damon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;

/**
 * What the kdamond of a {@link DamonSource} monitors, kept in step with the managed processes, and
 * the samples read back from its schemes' tried regions.
 *
 * <p>vaddr targets follow the managed processes: when the set changes, tierd rewrites {@code
 * targets/} and {@code schemes/} and writes {@code commit} (5.19+) to a running kdamond, or {@code
 * on} to a stopped one. A target pid that has exited makes {@code on}/{@code commit} fail with
 * EINVAL ({@code find_get_pid} in {@code damon_sysfs_add_target}); before 6.11 a failed commit also
 * stopped the kdamond. When every target has exited the kdamond stops by itself ({@code
 * kdamond_need_stop}); {@code collect} then returns nothing and the next {@code update} starts it
 * again. paddr has one target, the physical memory; the managed processes are only what its regions
 * map back to.
 *
 * <p>The scheme at index {@code i} is restricted to target {@code i}, so vaddr reads target {@code
 * i}'s regions from scheme {@code i}'s {@code tried_regions}; paddr maps its one scheme's physical
 * regions back to (pid, virtual range) through {@code /proc/PID/pagemap} ({@link PaddrMapper}).
 * Logs as {@code DamonSource}.
 */
final class DamonTargets {

  private static final Logger log = LoggerFactory.getLogger(DamonSource.class);

  private final DamonSource.Mode mode;
  private final KernelRoot root;
  private final TierdKdamond kdamond;
  private final DamonContext context;
  private final DamonIntervals intervals;
  private List<Integer> pids = List.of();
  private Map<Integer, ManagedProcess> processes = Map.of();

  DamonTargets(
      DamonSource.Mode mode,
      KernelRoot root,
      TierdKdamond kdamond,
      DamonContext context,
      DamonIntervals intervals) {
    this.mode = mode;
    this.root = root;
    this.kdamond = kdamond;
    this.context = context;
    this.intervals = intervals;
  }

  /** vaddr: the pid of each target, by target index. */
  List<Integer> pids() {
    return pids;
  }

  /** True when there is nothing to read: vaddr without a target. */
  boolean none() {
    return mode == DamonSource.Mode.VADDR && pids.isEmpty();
  }

  /**
   * Follows {@code now}, the managed processes: paddr turns the kdamond on if it stopped; vaddr
   * rewrites the targets when their set changed, retrying without the pids that exited meanwhile.
   */
  void update(Collection<ManagedProcess> now) {
    Map<Integer, ManagedProcess> byPid = new LinkedHashMap<>();
    for (ManagedProcess p : now) {
      byPid.put(p.pid(), p);
    }
    processes = byPid;
    if (mode == DamonSource.Mode.PADDR) {
      if (!kdamond.readRunning()) {
        intervals.awaitCommit();
        kdamond.turnOn();
      }
      return;
    }
    List<Integer> desired = new ArrayList<>(new TreeSet<>(byPid.keySet()));
    boolean nowRunning = kdamond.readRunning();
    if (desired.equals(pids) && (nowRunning || desired.isEmpty())) {
      kdamond.running(nowRunning);
      return;
    }
    intervals.awaitCommit(); // the writes below follow a tuned interval's commit in flight
    if (desired.isEmpty()) {
      if (nowRunning) {
        kdamond.turnOff();
      }
      pids = List.of();
      kdamond.running(false);
      return;
    }
    KernelFsException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      List<Integer> live = desired.stream().filter(this::alive).toList();
      if (live.isEmpty()) {
        if (kdamond.readRunning()) {
          kdamond.turnOff();
        }
        pids = List.of();
        kdamond.running(false);
        return;
      }
      context.writeTargets(live);
      try {
        if (kdamond.readRunning()) {
          kdamond.write(DamonSource.K + "state", "commit");
        } else {
          kdamond.turnOn();
        }
        pids = live;
        kdamond.running(true);
        return;
      } catch (KernelFsException e) {
        if (!DamonErrors.invalid(e)) {
          throw e;
        }
        // A target exited between the liveness check and the write; before 6.11 a failed
        // commit also stopped the kdamond. Re-check and retry with the survivors.
        last = e;
        log.debug("DAMON rejected targets {}: {}", live, e.getMessage());
      }
    }
    kdamond.running(kdamond.readRunning());
    throw last;
  }

  /**
   * Hands over one sample per tried region (paddr: per virtual run it maps to) of the targets still
   * alive, after {@code update_schemes_tried_regions}; returns every tried region read.
   */
  List<TriedRegion> read(Consumer<RegionSample> out) {
    return read(context::triedRegions, intervals.inForce(), out);
  }

  /**
   * The same for regions from elsewhere: {@code regionsOf} gives target {@code i}'s (paddr: the one
   * target's) regions, measured with {@code measured}.
   */
  List<TriedRegion> read(
      IntFunction<List<TriedRegion>> regionsOf,
      DamonIntervals.InForce measured,
      Consumer<RegionSample> out) {
    List<TriedRegion> all = new ArrayList<>();
    if (mode == DamonSource.Mode.VADDR) {
      for (int i = 0; i < pids.size(); i++) {
        int pid = pids.get(i);
        if (!alive(pid)) {
          continue;
        }
        List<TriedRegion> regions = regionsOf.apply(i);
        all.addAll(regions);
        for (TriedRegion r : regions) {
          out.accept(sample(pid, r.range(), r.nrAccesses(), r.age(), measured));
        }
      }
    } else {
      all = regionsOf.apply(0);
      PaddrMapper.map(
          root,
          processes.values(),
          all,
          (pid, range, r) -> sample(pid, range, r.nrAccesses(), r.age(), measured),
          out);
    }
    return all;
  }

  /** {@code ageAggregations}: the region's age in aggregation intervals, as DAMON counts it. */
  private RegionSample sample(
      int pid,
      AddressRange range,
      long nrAccesses,
      long ageAggregations,
      DamonIntervals.InForce measured) {
    int maxAccesses = measured.maxAccesses();
    int accesses = (int) Math.min(nrAccesses, maxAccesses);
    long ageNanos;
    try {
      ageNanos = Math.multiplyExact(Math.multiplyExact(ageAggregations, measured.aggrUs()), 1000L);
    } catch (ArithmeticException e) {
      ageNanos = Long.MAX_VALUE;
    }
    return new RegionSample(
        pid,
        range,
        accesses,
        maxAccesses,
        measured.aggrInterval(),
        measured.sampleInterval(),
        Duration.ofNanos(ageNanos),
        mode.kind().label());
  }

  private boolean alive(int pid) {
    return KernelFiles.exists(root.pid(pid, "stat"));
  }
}
