package tierd.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Rejection;
import tierd.metrics.ScanMetrics;
import tierd.model.NodeSet;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * The daemon's topology read, once per cycle, through memory hotplug: a node whose files vanish
 * mid-read is left out of that cycle's topology and the override is fitted to the nodes there are
 * ({@link TopologyReader#readAdapting}). What was left out is counted every cycle and logged when
 * it changes (once while it lasts, and again after it had cleared), so a host whose node went away
 * tiers its other nodes from the next cycle on instead of failing every cycle.
 */
final class AdaptingTopology {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  private List<String> lastLeftOut = List.of();

  Topology read(KernelRoot root, long pageBytes, List<NodeSet> tiers, ScanMetrics metrics) {
    List<Rejection> leftOut = new ArrayList<>();
    Topology topo = new TopologyReader(root, pageBytes).readAdapting(tiers, leftOut::add);
    List<String> messages = new ArrayList<>();
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (Rejection r : leftOut) {
      messages.add(r.detail());
      counts
          .computeIfAbsent(r.file(), f -> new TreeMap<>())
          .merge(r.reason().label(), 1L, Long::sum);
      if (!lastLeftOut.contains(r.detail())) {
        log.warn("topology: {}", r.detail());
      }
    }
    if (messages.isEmpty() && !lastLeftOut.isEmpty()) {
      log.info("topology: every memory node is read again");
    }
    lastLeftOut = messages;
    metrics.rejected(counts);
    return topo;
  }
}
