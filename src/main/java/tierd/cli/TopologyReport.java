package tierd.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tierd.model.DataSize;
import tierd.source.sys.TieringKnobs;
import tierd.topology.NodeInfo;
import tierd.topology.Tier;
import tierd.topology.Topology;

/** What {@code tierd topology} prints: nodes, tiers, distances, capacity and targets. */
record TopologyReport(
    String tierSource,
    boolean tiered,
    List<TierRow> tiers,
    List<NodeRow> nodes,
    Boolean demotionEnabled,
    Integer numaBalancing,
    List<String> notes) {

  record TierRow(int rank, String label, String nodes, long totalBytes, long freeBytes) {}

  record NodeRow(
      int node,
      int tierRank,
      String tier,
      String cpus,
      long totalBytes,
      long freeBytes,
      Map<String, Integer> distances,
      Long readLatencyNs,
      Long readBandwidthMBps,
      Long lowWatermarkBytes,
      Long highWatermarkBytes,
      List<Integer> demotionTargets,
      List<Integer> promotionTargets) {}

  static TopologyReport of(Topology t, TieringKnobs knobs) {
    List<TierRow> tiers = new ArrayList<>();
    for (Tier tier : t.tiers()) {
      tiers.add(
          new TierRow(
              tier.rank(),
              tier.label(),
              tier.nodes().toString(),
              t.tierTotalBytes(tier.rank()),
              t.tierFreeBytes(tier.rank())));
    }
    List<NodeRow> nodes = new ArrayList<>();
    for (NodeInfo n : t.nodes().values()) {
      Map<String, Integer> dist = new LinkedHashMap<>();
      n.distances().forEach((k, v) -> dist.put(Integer.toString(k), v));
      Long lat = n.hmat().map(h -> boxed(h.readLatencyNs())).orElse(null);
      Long bw = n.hmat().map(h -> boxed(h.readBandwidthMBps())).orElse(null);
      int rank = t.rankOf(n.id());
      nodes.add(
          new NodeRow(
              n.id(),
              rank,
              rank >= 0 ? t.tiers().get(rank).label() : "-",
              n.cpus().isEmpty() ? "" : n.cpus().toString(),
              n.totalBytes(),
              n.freeBytes(),
              dist,
              lat,
              bw,
              n.watermarks().map(NodeInfo.Watermarks::lowBytes).orElse(null),
              n.watermarks().map(NodeInfo.Watermarks::highBytes).orElse(null),
              t.demotionTargets(n.id()),
              t.promotionTargets(n.id())));
    }
    List<String> notes = new ArrayList<>();
    if (!t.isTiered()) {
      notes.add(
          "one tier only: nothing to tier on this host (tierd keeps running and serving metrics)");
    }
    switch (t.tierSource()) {
      case CLASSIFIED ->
          notes.add(
              "the kernel reports a single memory tier; tierd classified CPU-less nodes by"
                  + " HMAT/SLIT (override with 'tiers:' in the config)");
      case CONFIG -> notes.add("tiers come from the config file ('tiers:')");
      case SIMULATED -> notes.add("what-if tiers simulated from whatIf.fast: nothing moves");
      default -> {}
    }
    if (knobs.kernelTieringOn()) {
      notes.add(
          "kernel NUMA-balancing tiering (numa_balancing & 2) is on: it will also promote pages");
    }
    return new TopologyReport(
        t.tierSource().name().toLowerCase(java.util.Locale.ROOT),
        t.isTiered(),
        tiers,
        nodes,
        knobs.demotionEnabled().orElse(null),
        knobs.numaBalancing().orElse(null),
        notes);
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("Tiers (fast to slow, source: ").append(tierSource).append(")\n");
    Table tt = new Table("RANK", "TIER", "NODES", "TOTAL", "FREE");
    for (TierRow r : tiers) {
      tt.row(r.rank, r.label, r.nodes, DataSize.human(r.totalBytes), DataSize.human(r.freeBytes));
    }
    sb.append(tt).append('\n');
    Table nt =
        new Table(
            "NODE",
            "TIER",
            "CPUS",
            "TOTAL",
            "FREE",
            "DISTANCES",
            "HMAT",
            "DEMOTE TO",
            "PROMOTE TO");
    for (NodeRow n : nodes) {
      String hmat =
          n.readLatencyNs == null
              ? "-"
              : n.readLatencyNs
                  + "ns"
                  + (n.readBandwidthMBps == null ? "" : " " + n.readBandwidthMBps + "MB/s");
      nt.row(
          n.node,
          n.tier,
          n.cpus.isEmpty() ? "(none)" : n.cpus,
          DataSize.human(n.totalBytes),
          DataSize.human(n.freeBytes),
          String.join(" ", n.distances.values().stream().map(String::valueOf).toList()),
          hmat,
          list(n.demotionTargets),
          list(n.promotionTargets));
    }
    sb.append(nt);
    sb.append('\n')
        .append("demotion_enabled: ")
        .append(demotionEnabled == null ? "(absent)" : demotionEnabled)
        .append("   numa_balancing: ")
        .append(numaBalancing == null ? "(absent)" : numaBalancing)
        .append('\n');
    for (String note : notes) {
      sb.append("note: ").append(note).append('\n');
    }
    return sb.toString();
  }

  private static Long boxed(java.util.OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  private static String list(List<Integer> l) {
    return l.isEmpty() ? "-" : String.join(",", l.stream().map(String::valueOf).toList());
  }
}
