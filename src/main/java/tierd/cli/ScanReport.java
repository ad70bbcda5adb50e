package tierd.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tierd.model.DataSize;
import tierd.planner.Explain;
import tierd.planner.TenantShare;
import tierd.process.ManagedProcess;
import tierd.process.ProcessScanner;
import tierd.process.Vma;
import tierd.topology.Topology;

/** What {@code tierd scan} prints: where each process's memory sits, per node and per tier. */
record ScanReport(
    List<ProcessRow> processes,
    Map<String, Long> bytesPerTier,
    int examined,
    int filtered,
    int skippedGone,
    int skippedDenied,
    int skippedMalformed,
    List<String> errors,
    List<TenantShare> tenants,
    DemotionOnlyScan demotionOnly) {

  record ProcessRow(
      int pid,
      String comm,
      long rssBytes,
      String cgroup,
      String memsAllowed,
      String cpusetMems,
      String allowedNodes,
      Map<String, Long> bytesPerNode,
      Map<String, Long> bytesPerTier,
      List<VmaRow> vmas) {}

  record VmaRow(
      String start,
      String end,
      String perms,
      String policy,
      String backing,
      long pageBytes,
      Map<String, Long> bytesPerNode) {}

  /**
   * The report of scan {@code r} on {@code t}; {@code tenants} is each tenant's fast-tier share
   * (empty without classes), {@code demotionOnly} the demotion-only nodes' part ({@code null}: none
   * configured).
   */
  static ScanReport of(
      ProcessScanner.Result r,
      Topology t,
      boolean withVmas,
      List<TenantShare> tenants,
      DemotionOnlyScan demotionOnly) {
    List<ProcessRow> rows = new ArrayList<>();
    Map<String, Long> total = new LinkedHashMap<>();
    for (var tier : t.tiers()) {
      total.put(tier.label(), 0L);
    }
    for (ManagedProcess p : r.processes()) {
      Map<Integer, Long> perNode = new TreeMap<>();
      List<VmaRow> vmaRows = new ArrayList<>();
      for (Vma v : p.vmas()) {
        Map<String, Long> vn = new LinkedHashMap<>();
        for (var e : v.pagesPerNode().entrySet()) {
          long b = e.getValue() * v.pageBytes();
          perNode.merge(e.getKey(), b, Long::sum);
          vn.put("N" + e.getKey(), b);
        }
        if (withVmas && v.presentPages() > 0) {
          vmaRows.add(
              new VmaRow(
                  Long.toHexString(v.range().start()),
                  Long.toHexString(v.range().end()),
                  v.perms(),
                  v.policy().toString(),
                  v.path().isEmpty()
                      ? v.backing().name().toLowerCase(java.util.Locale.ROOT)
                      : v.path(),
                  v.pageBytes(),
                  vn));
        }
      }
      Map<String, Long> nodeBytes = new LinkedHashMap<>();
      Map<String, Long> tierBytes = new LinkedHashMap<>();
      perNode.forEach(
          (node, b) -> {
            nodeBytes.put("N" + node, b);
            int rank = t.rankOf(node);
            String label = rank >= 0 ? t.tiers().get(rank).label() : "untiered";
            tierBytes.merge(label, b, Long::sum);
            total.merge(label, b, Long::sum);
          });
      rows.add(
          new ProcessRow(
              p.pid(),
              p.comm(),
              p.rssBytes(),
              p.cgroupPath(),
              p.memsAllowed().toString(),
              p.cpusetMems().map(Object::toString).orElse(null),
              p.allowedNodes().toString(),
              nodeBytes,
              tierBytes,
              withVmas ? vmaRows : null));
    }
    return new ScanReport(
        rows,
        total,
        r.examined(),
        r.filtered(),
        r.gone(),
        r.denied(),
        r.malformed(),
        r.errors(),
        tenants,
        demotionOnly);
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    Table pt = new Table("PID", "COMM", "RSS", "ALLOWED", "CPUSET", "PER NODE", "PER TIER");
    for (ProcessRow p : processes) {
      pt.row(
          p.pid,
          p.comm,
          DataSize.human(p.rssBytes),
          p.allowedNodes,
          p.cpusetMems == null ? "-" : p.cpusetMems,
          human(p.bytesPerNode),
          human(p.bytesPerTier));
      if (p.vmas != null) {
        for (VmaRow v : p.vmas) {
          pt.row(
              "",
              "  " + v.start + "-" + v.end,
              "",
              v.policy,
              v.backing,
              human(v.bytesPerNode),
              v.perms);
        }
      }
    }
    sb.append(pt).append('\n');
    sb.append("Totals per tier: ").append(human(bytesPerTier)).append('\n');
    for (TenantShare tenant : tenants) {
      sb.append(Explain.tenantLine(tenant)).append('\n');
    }
    sb.append(
        String.format(
            "Processes: %d managed, %d examined, %d filtered out, skipped: %d exited, %d not"
                + " permitted, %d malformed%n",
            processes.size(), examined, filtered, skippedGone, skippedDenied, skippedMalformed));
    if (demotionOnly != null) {
      sb.append(demotionOnly.text());
    }
    for (String e : errors) {
      sb.append("error: ").append(e).append('\n');
    }
    return sb.toString();
  }

  private static String human(Map<String, Long> m) {
    if (m.isEmpty()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    m.forEach((k, v) -> parts.add(k + "=" + DataSize.human(v)));
    return String.join(" ", parts);
  }
}
