package tierd.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tierd.model.AddressRange;
import tierd.model.ProcessId;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.Outcome;
import tierd.mover.Tally;
import tierd.planner.NodeBytes;
import tierd.planner.RegionPlacement;
import tierd.process.ManagedProcess;

/**
 * Where tierd's own moves left pages: after a request whose every page ended on its target (moved
 * there, or found there already) or was not present, its ranges are known to be wholly on the
 * target. The next cycles give these to the planner as exact placements for the ranges the
 * placement probe did not query (it queries hot and cold regions only), so that a warm range moved
 * once is not taken again for bytes the per-VMA estimate puts on a node it left: that estimate
 * spreads the VMA's per-node counts evenly over the VMA, and when tierd has just demoted half of a
 * VMA, every range of it would still look a quarter on each node. The mover's answer settles it.
 *
 * <p>An entry lives for {@code retention} (the planner's history retention) or until a newer move
 * covers its range; where a probe covers part of it, the probe's answer is used for that part;
 * processes that are gone lose theirs. Bounded by {@link #MAX_RANGES}, oldest first.
 */
final class MovedPlacements {

  /** Hard bound on remembered ranges over all processes. */
  static final int MAX_RANGES = 1 << 16;

  private record Known(AddressRange range, int node, double presentShare, Instant movedAt) {}

  private final Duration retention;
  private final Map<ProcessId, TreeMap<Long, Known>> byProcess = new HashMap<>();
  private int size;

  MovedPlacements(Duration retention) {
    this.retention = retention;
  }

  /**
   * Remembers the ranges of each request that ended wholly on its target; {@code report} holds one
   * tally per request, in order. A dry run changes nothing.
   */
  void record(List<MoveRequest> requests, MoveReport report, Instant at) {
    if (report.dryRun()) {
      return;
    }
    for (int i = 0; i < requests.size() && i < report.perRequest().size(); i++) {
      MoveRequest request = requests.get(i);
      Tally tally = report.perRequest().get(i);
      TreeMap<Long, Known> known =
          byProcess.computeIfAbsent(request.process(), k -> new TreeMap<>());
      for (AddressRange range : request.ranges()) {
        forget(known, range);
      }
      OptionalShare share = presentShareOnTarget(tally);
      if (share.known()) {
        for (AddressRange range : request.ranges()) {
          known.put(range.start(), new Known(range, request.targetNode(), share.value(), at));
          size++;
        }
      }
      if (known.isEmpty()) {
        byProcess.remove(request.process());
      }
    }
    if (size > MAX_RANGES) {
      dropOldest(size - MAX_RANGES);
    }
  }

  /**
   * {@code probed} (this cycle's exact queries) and, beside them, the remembered placements of what
   * they do not cover, for the processes of this cycle's scan.
   */
  List<RegionPlacement> besides(
      List<RegionPlacement> probed, List<ManagedProcess> processes, Instant now) {
    Set<ProcessId> alive = new HashSet<>();
    processes.forEach(p -> alive.add(new ProcessId(p.pid(), p.startTimeTicks())));
    List<RegionPlacement> all = new ArrayList<>(probed);
    all.addAll(placements(probed, alive, now));
    return all;
  }

  /**
   * The remembered placements of live processes, younger than the retention, less the parts that
   * {@code probed} covers (fresher: queried this cycle). Entries of processes outside {@code alive}
   * and expired ones are forgotten.
   */
  List<RegionPlacement> placements(
      List<RegionPlacement> probed, Set<ProcessId> alive, Instant now) {
    Instant oldest = now.minus(retention);
    byProcess.keySet().removeIf(process -> !alive.contains(process));
    Map<Integer, TreeMap<Long, AddressRange>> probedByPid = new HashMap<>();
    for (RegionPlacement p : probed) {
      probedByPid.computeIfAbsent(p.pid(), k -> new TreeMap<>()).put(p.range().start(), p.range());
    }
    List<RegionPlacement> out = new ArrayList<>();
    size = 0;
    for (var e : byProcess.entrySet()) {
      TreeMap<Long, Known> known = e.getValue();
      known.values().removeIf(k -> k.movedAt().isBefore(oldest));
      size += known.size();
      TreeMap<Long, AddressRange> fresher =
          probedByPid.getOrDefault(e.getKey().pid(), new TreeMap<>());
      for (Known k : known.values()) {
        for (AddressRange rest : outside(fresher, k.range())) {
          long bytes = Math.round(rest.sizeBytes() * k.presentShare());
          out.add(
              new RegionPlacement(
                  e.getKey().pid(),
                  rest,
                  bytes > 0 ? NodeBytes.of(k.node(), bytes) : NodeBytes.of(Map.of()),
                  true));
        }
      }
    }
    byProcess.values().removeIf(TreeMap::isEmpty);
    return out;
  }

  /** Remembered ranges over all processes. */
  int size() {
    return size;
  }

  private record OptionalShare(boolean known, double value) {}

  /**
   * The share of the request's pages that are present, when every page is accounted for: on the
   * target (moved or already there) or not present. Unknown when any page stayed elsewhere, was
   * held back or failed.
   */
  private static OptionalShare presentShareOnTarget(Tally tally) {
    long total = tally.totalPages();
    long onTarget = tally.pages(Outcome.MOVED) + tally.pages(Outcome.ALREADY_ON_TARGET);
    long absent = tally.pages(Outcome.ENOENT) + tally.pages(Outcome.EFAULT);
    if (total == 0 || onTarget + absent != total) {
      return new OptionalShare(false, 0);
    }
    return new OptionalShare(true, (double) onTarget / total);
  }

  /** Removes what {@code range} covers from {@code known}: older entries it overlaps go whole. */
  private void forget(TreeMap<Long, Known> known, AddressRange range) {
    var before = known.lowerEntry(range.start());
    if (before != null && before.getValue().range().overlaps(range)) {
      known.remove(before.getKey());
      size--;
    }
    var it = known.subMap(range.start(), true, range.end(), false).entrySet().iterator();
    while (it.hasNext()) {
      it.next();
      it.remove();
      size--;
    }
  }

  /**
   * The parts of {@code range} that none of {@code probed} (sorted by start, not overlapping each
   * other) covers. A probe of a neighbouring region may reach into a remembered range (a move's
   * range ends snap to folio boundaries, a probe's do not): the rest of it stays known, or the
   * planner would estimate it from the VMA's counts and plan it again.
   */
  private static List<AddressRange> outside(
      TreeMap<Long, AddressRange> probed, AddressRange range) {
    List<AddressRange> rest = new ArrayList<>();
    long from = range.start();
    var before = probed.lowerEntry(range.start());
    if (before != null && before.getValue().end() > from) {
      from = before.getValue().end();
    }
    for (AddressRange p : probed.subMap(range.start(), true, range.end(), false).values()) {
      if (p.start() > from) {
        rest.add(new AddressRange(from, p.start()));
      }
      from = Math.max(from, p.end());
    }
    if (from < range.end()) {
      rest.add(new AddressRange(from, range.end()));
    }
    return rest;
  }

  private void dropOldest(int count) {
    List<Known> all = new ArrayList<>();
    byProcess.values().forEach(known -> all.addAll(known.values()));
    all.sort((a, b) -> a.movedAt().compareTo(b.movedAt()));
    Instant cut = all.get(Math.min(count, all.size()) - 1).movedAt();
    for (TreeMap<Long, Known> known : byProcess.values()) {
      size -= known.size();
      known.values().removeIf(k -> !k.movedAt().isAfter(cut));
      size += known.size();
    }
    byProcess.values().removeIf(TreeMap::isEmpty);
  }
}
