package tierd.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.DemotionOnlyMetrics;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.mover.MoveLimits;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.NodeRoom;
import tierd.planner.PlannerConfig;
import tierd.process.ManagedProcess;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * The daemon's side of the demotion-only nodes ({@code planner.nodes.N}): their capacity per cycle
 * for the plan, the mover's room check with it ({@link DemotionOnlyRoom}), and what tierd placed
 * there ({@link DemotionOnlyPlacement}), reported as a metric, in the log and, through {@link
 * DemotionOnlyPlacement#STATE_FILE} in the runtime directory, to {@code tierd scan}.
 */
final class DemotionOnlyNodes {

  private static final Logger log = LoggerFactory.getLogger(DemotionOnlyNodes.class);

  private final NodeCapacities capacities;
  private final DemotionOnlyPlacement placement;
  private final NodeFreeNow freeNow;
  private final Path runtimeDirectory;
  private final Map<Integer, Long> saidForeign = new TreeMap<>();
  private final UnseenMoves unseen = new UnseenMoves();
  private final Map<Integer, Long> usedAtPlanBytes = new TreeMap<>();

  private DemotionOnlyNodes(
      NodeCapacities capacities,
      DemotionOnlyPlacement placement,
      NodeFreeNow freeNow,
      Path runtimeDirectory) {
    this.capacities = capacities;
    this.placement = placement;
    this.freeNow = freeNow;
    this.runtimeDirectory = runtimeDirectory;
  }

  static DemotionOnlyNodes of(
      KernelRoot root, long pageBytes, PlannerConfig planner, Path runtimeDirectory) {
    return new DemotionOnlyNodes(
        new NodeCapacities(root, planner.demotionOnly()),
        new DemotionOnlyPlacement(NodeSet.of(planner.demotionOnly().keySet())),
        new NodeFreeNow(root, pageBytes),
        runtimeDirectory);
  }

  /** The same nodes under a new config: the counts of what tierd placed carry over. */
  DemotionOnlyNodes reconfigured(
      KernelRoot newRoot, long pageBytes, PlannerConfig planner, Path newRuntime) {
    NodeSet nodes = NodeSet.of(planner.demotionOnly().keySet());
    DemotionOnlyPlacement kept =
        nodes.equals(placement.nodes()) ? placement : new DemotionOnlyPlacement(nodes);
    return new DemotionOnlyNodes(
        new NodeCapacities(newRoot, planner.demotionOnly()),
        kept,
        new NodeFreeNow(newRoot, pageBytes),
        newRuntime);
  }

  boolean configured() {
    return !capacities.isEmpty();
  }

  /** The usable bytes of each demotion-only node now, for this cycle's plan and the metric. */
  Map<Integer, Long> capacitiesNow(DemotionOnlyMetrics metrics) {
    Map<Integer, Long> now = capacities.readAll();
    metrics.capacities(now);
    return now;
  }

  /** {@code limits} with the demotion-only nodes' live capacity on top of their room. */
  MoveLimits limits(MoveLimits limits) {
    return configured() ? new MoveLimits(limits.timeBudget(), room(limits.room())) : limits;
  }

  /** {@code inner} with the demotion-only nodes' live capacity on top. */
  NodeRoom room(NodeRoom inner) {
    return configured() ? new DemotionOnlyRoom(inner, capacities, freeNow) : inner;
  }

  /**
   * The topology for this cycle's plan: a demotion-only node whose reading does not show tierd's
   * own moves of the last cycles yet ({@link UnseenMoves}) is taken to hold what it will hold once
   * it does.
   */
  Topology forPlan(Topology topo) {
    if (!configured()) {
      return topo;
    }
    List<NodeInfo> nodes = new ArrayList<>();
    boolean changed = false;
    for (NodeInfo node : topo.nodes().values()) {
      NodeInfo planned = node;
      if (capacities.demotionOnly(node.id())) {
        usedAtPlanBytes.put(node.id(), node.usedBytes());
        long unseenOff = unseen.unseenOffBytes(node.id(), node.usedBytes());
        if (unseenOff != 0) {
          long free = Math.max(0, Math.min(node.totalBytes(), node.freeBytes() + unseenOff));
          log.debug(
              "demotion-only node {}: its reading does not show {} tierd moved {} it yet;"
                  + " planning with {} held",
              node.id(),
              DataSize.human(Math.abs(unseenOff)),
              unseenOff > 0 ? "off" : "onto",
              DataSize.human(node.totalBytes() - free));
          planned = node.withFree(free);
          changed = true;
        }
      }
      nodes.add(planned);
    }
    return changed ? new Topology(nodes, topo.tiers(), topo.tierSource()) : topo;
  }

  /** Records what the mover moved into or out of the nodes, and writes the state for scan. */
  void moved(List<MoveRequest> requests, MoveReport report) {
    if (!configured() || report.dryRun()) {
      return;
    }
    placement.recordMoves(requests, report);
    Map<Integer, Long> netOff = new TreeMap<>();
    for (int i = 0; i < requests.size() && i < report.perRequest().size(); i++) {
      MoveRequest request = requests.get(i);
      long movedBytes = report.perRequest().get(i).bytesMoved();
      if (movedBytes <= 0) {
        continue;
      }
      if (capacities.demotionOnly(request.targetNode())) {
        netOff.merge(request.targetNode(), -movedBytes, Long::sum);
      }
      int[] from = request.fromNodes().toArray();
      if (from.length == 1 && capacities.demotionOnly(from[0])) {
        netOff.merge(from[0], movedBytes, Long::sum);
      }
    }
    netOff.forEach(
        (node, bytes) -> {
          Long used = usedAtPlanBytes.get(node);
          if (used != null) {
            unseen.moved(node, bytes, used);
          }
        });
    writeState();
  }

  /**
   * Compares what the processes hold on the nodes with what tierd placed there: the metric per
   * node, and a log line when a node's foreign bytes first appear or grow by more than 64 MiB.
   */
  void report(List<ManagedProcess> processes, DemotionOnlyMetrics metrics) {
    if (!configured()) {
      return;
    }
    Map<Integer, Long> foreign = new TreeMap<>();
    for (DemotionOnlyPlacement.NodeReport node : placement.report(processes)) {
      foreign.put(node.node(), node.foreignBytes());
      long said = saidForeign.getOrDefault(node.node(), 0L);
      if (node.foreignBytes() > said + DataSize.ofMiB(64).bytes()) {
        DemotionOnlyPlacement.Offender top = node.topOffenders().get(0);
        log.warn(
            "demotion-only node {}: {} of managed processes' memory there was not demoted by"
                + " tierd; most from pid {} ({}): {} (tierd scan lists them)",
            node.node(),
            DataSize.human(node.foreignBytes()),
            top.pid(),
            top.comm(),
            DataSize.human(top.foreignBytes()));
        saidForeign.put(node.node(), node.foreignBytes());
      } else if (node.foreignBytes() < said) {
        saidForeign.put(node.node(), node.foreignBytes());
      }
    }
    metrics.foreign(foreign);
  }

  private void writeState() {
    if (runtimeDirectory == null || !Files.isDirectory(runtimeDirectory)) {
      return;
    }
    Path file = runtimeDirectory.resolve(DemotionOnlyPlacement.STATE_FILE);
    Path tmp = runtimeDirectory.resolve(DemotionOnlyPlacement.STATE_FILE + ".tmp");
    try {
      Files.writeString(tmp, placement.stateText());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.debug("cannot write {}: {}", file, e.toString());
    }
  }
}
