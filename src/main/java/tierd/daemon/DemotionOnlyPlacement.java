package tierd.daemon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tierd.model.NodeSet;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.process.ManagedProcess;

/**
 * What tierd itself placed on the demotion-only nodes, per process, and so what appeared there
 * without it (seed 004: the tier should be written by demotion; another allocator, or a process
 * without a fast-first policy, that allocates there is worth knowing about).
 *
 * <p>tierd counts the bytes its mover moved into such a node (and takes off what it moved out), per
 * process (pid and start time). Each cycle that count is capped at what the process holds there now
 * (the kernel may have moved or freed pages since), and the rest of what it holds there is
 * <em>foreign</em>: placed there by someone else. A process tierd never moved anything for counts
 * all its bytes there as foreign.
 *
 * <p>The state is a few numbers per process; {@link #stateText} writes it for {@code tierd scan},
 * which runs in another JVM.
 */
public final class DemotionOnlyPlacement {

  /** The daemon writes its counts here, in its runtime directory, after each cycle that moved. */
  public static final String STATE_FILE = "demotion-only-placed";

  /** Offenders listed per node in a report. */
  public static final int TOP_OFFENDERS = 10;

  /** A process across pid reuse. */
  public record Key(int pid, long startTimeTicks) {}

  /** One process's bytes on a demotion-only node: all of them, and those tierd put there. */
  public record Offender(int pid, String comm, long onNodeBytes, long placedByTierdBytes) {
    public long foreignBytes() {
      return onNodeBytes - placedByTierdBytes;
    }
  }

  /** Per node: bytes there that tierd did not place, in total, and the largest offenders. */
  public record NodeReport(int node, long foreignBytes, List<Offender> topOffenders) {
    public NodeReport {
      topOffenders = List.copyOf(topOffenders);
    }
  }

  private final NodeSet nodes;
  private Map<Key, Map<Integer, Long>> placedBytes = new HashMap<>();

  /** Tracking for the demotion-only nodes {@code nodes}. */
  public DemotionOnlyPlacement(NodeSet nodes) {
    this.nodes = nodes;
  }

  /** Tracking that starts from the state another tierd wrote ({@link #stateText}). */
  public static DemotionOnlyPlacement fromState(NodeSet nodes, String state) {
    DemotionOnlyPlacement p = new DemotionOnlyPlacement(nodes);
    for (String line : state.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length != 4 || line.startsWith("#")) {
        continue;
      }
      try {
        p.add(
            new Key(Integer.parseInt(f[0]), Long.parseLong(f[1])),
            Integer.parseInt(f[2]),
            Long.parseLong(f[3]));
      } catch (NumberFormatException e) {
        // a torn or foreign line: that process counts as untracked
      }
    }
    return p;
  }

  public NodeSet nodes() {
    return nodes;
  }

  /**
   * Counts the bytes the mover moved for {@code requests} (in order with {@code report}'s tallies)
   * into and out of the demotion-only nodes. A dry run moved nothing.
   */
  public void recordMoves(List<MoveRequest> requests, MoveReport report) {
    if (report.dryRun()) {
      return;
    }
    for (int i = 0; i < requests.size() && i < report.perRequest().size(); i++) {
      MoveRequest request = requests.get(i);
      long moved = report.perRequest().get(i).bytesMoved();
      if (moved <= 0) {
        continue;
      }
      Key key = new Key(request.process().pid(), request.process().startTimeTicks());
      if (nodes.contains(request.targetNode())) {
        add(key, request.targetNode(), moved);
      }
      for (int from : request.fromNodes().toArray()) {
        if (nodes.contains(from)) {
          add(key, from, -moved); // at most this much left it; capped at zero below
        }
      }
    }
  }

  private void add(Key key, int node, long bytes) {
    Map<Integer, Long> perNode = placedBytes.computeIfAbsent(key, k -> new TreeMap<>());
    perNode.merge(node, bytes, (a, b) -> Math.max(0, a + b));
    if (perNode.get(node) <= 0) {
      perNode.remove(node);
    }
  }

  /**
   * The report for the processes as scanned now. Also brings the counts up to date: processes gone
   * are dropped, and what tierd placed is capped at what each process holds on the node now.
   */
  public List<NodeReport> report(List<ManagedProcess> processes) {
    Map<Key, Map<Integer, Long>> kept = new HashMap<>();
    Map<Integer, List<Offender>> byNode = new TreeMap<>();
    for (int node : nodes.toArray()) {
      byNode.put(node, new ArrayList<>());
    }
    Set<Key> seen = new HashSet<>();
    for (ManagedProcess process : processes) {
      Key key = new Key(process.pid(), process.startTimeTicks());
      seen.add(key);
      Map<Integer, Long> placed = placedBytes.getOrDefault(key, Map.of());
      for (int node : nodes.toArray()) {
        long on = process.bytesOn(node);
        long tierd = Math.min(on, placed.getOrDefault(node, 0L));
        if (tierd > 0) {
          kept.computeIfAbsent(key, k -> new TreeMap<>()).put(node, tierd);
        }
        if (on > tierd) {
          byNode.get(node).add(new Offender(process.pid(), process.comm(), on, tierd));
        }
      }
    }
    placedBytes = kept;
    List<NodeReport> out = new ArrayList<>();
    byNode.forEach(
        (node, offenders) -> {
          offenders.sort(
              Comparator.comparingLong(Offender::foreignBytes)
                  .reversed()
                  .thenComparingInt(Offender::pid));
          long total = offenders.stream().mapToLong(Offender::foreignBytes).sum();
          out.add(
              new NodeReport(
                  node, total, offenders.subList(0, Math.min(TOP_OFFENDERS, offenders.size()))));
        });
    return out;
  }

  /** Bytes tierd placed on {@code node} for {@code key} and still counts. */
  public long placedBytes(Key key, int node) {
    return placedBytes.getOrDefault(key, Map.of()).getOrDefault(node, 0L);
  }

  /** The counts, one {@code pid startTimeTicks node bytes} line each, for {@link #fromState}. */
  public String stateText() {
    StringBuilder sb = new StringBuilder("# pid starttime node bytes-tierd-placed\n");
    placedBytes.entrySet().stream()
        .sorted(Comparator.comparingInt((Map.Entry<Key, Map<Integer, Long>> e) -> e.getKey().pid()))
        .forEach(
            e ->
                e.getValue()
                    .forEach(
                        (node, bytes) ->
                            sb.append(e.getKey().pid())
                                .append(' ')
                                .append(e.getKey().startTimeTicks())
                                .append(' ')
                                .append(node)
                                .append(' ')
                                .append(bytes)
                                .append('\n')));
    return sb.toString();
  }
}
