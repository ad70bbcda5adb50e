package tierd.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.scoring.ScoredRegion;

/**
 * The profile of one scoring window: the host, each cgroup and each process (largest first), the
 * host's sizing curve as points and the fast tier each of {@link SizingCurve#SERVED_SHARES} needs.
 *
 * @param curve the host's exact curve; null once the window is kept in a history
 * @param fastBytesForShares the fast tier that serves each of {@link SizingCurve#SERVED_SHARES}
 */
public record WindowProfile(
    Instant at,
    int processCount,
    Breakdown host,
    List<ProcessProfile> processes,
    List<CgroupProfile> cgroups,
    List<SizingCurve.Point> curvePoints,
    List<Long> fastBytesForShares,
    SizingCurve curve) {

  /** Vertices kept of the host's curve (see {@link SizingCurve#points}). */
  public static final int CURVE_RESOLUTION = 100;

  /** One process: its identity, name, cgroup and breakdown. */
  public record ProcessProfile(ProcessId key, String comm, String cgroup, Breakdown breakdown) {}

  /** One cgroup: its path, how many managed processes it has, their breakdown together. */
  public record CgroupProfile(String cgroup, int processes, Breakdown breakdown) {}

  public WindowProfile {
    processes = List.copyOf(processes);
    cgroups = List.copyOf(cgroups);
    curvePoints = List.copyOf(curvePoints);
    fastBytesForShares = List.copyOf(fastBytesForShares);
  }

  /** The profile of one window's scored regions of {@code processes}. */
  public static WindowProfile of(
      Instant at, List<ManagedProcess> processes, List<ScoredRegion> scored) {
    List<RegionBytes> all = RegionBytes.of(scored, processes);
    Map<ProcessId, List<RegionBytes>> byProcess = new LinkedHashMap<>();
    for (RegionBytes r : all) {
      byProcess.computeIfAbsent(r.process(), k -> new ArrayList<>()).add(r);
    }
    List<ProcessProfile> procs = new ArrayList<>();
    Map<String, List<RegionBytes>> byCgroup = new TreeMap<>();
    Map<String, Integer> processesOfCgroup = new TreeMap<>();
    for (ManagedProcess p : processes) {
      ProcessId key = new ProcessId(p.pid(), p.startTimeTicks());
      List<RegionBytes> own = byProcess.getOrDefault(key, List.of());
      procs.add(new ProcessProfile(key, p.comm(), p.cgroupPath(), Breakdown.of(own)));
      byCgroup.computeIfAbsent(p.cgroupPath(), k -> new ArrayList<>()).addAll(own);
      processesOfCgroup.merge(p.cgroupPath(), 1, Integer::sum);
    }
    procs.sort(
        Comparator.comparingLong((ProcessProfile p) -> -p.breakdown().residentBytes())
            .thenComparing(ProcessProfile::key));
    List<CgroupProfile> cgroups = new ArrayList<>();
    byCgroup.forEach(
        (cg, regions) ->
            cgroups.add(new CgroupProfile(cg, processesOfCgroup.get(cg), Breakdown.of(regions))));
    cgroups.sort(Comparator.comparingLong(c -> -c.breakdown().residentBytes()));
    SizingCurve curve = Breakdown.curveOf(all);
    List<Long> targets = new ArrayList<>();
    for (double share : SizingCurve.SERVED_SHARES) {
      targets.add(curve.fastBytesFor(share));
    }
    return new WindowProfile(
        at,
        processes.size(),
        Breakdown.of(all, curve),
        procs,
        cgroups,
        curve.points(CURVE_RESOLUTION),
        targets,
        curve);
  }

  /** This window without its exact curve, to keep in a history. */
  WindowProfile kept() {
    return new WindowProfile(
        at, processCount, host, processes, cgroups, curvePoints, fastBytesForShares, null);
  }

  /** This window with the host's figures only (a daemon's history). */
  WindowProfile hostOnly() {
    return new WindowProfile(
        at, processCount, host, List.of(), List.of(), List.of(), fastBytesForShares, null);
  }
}
