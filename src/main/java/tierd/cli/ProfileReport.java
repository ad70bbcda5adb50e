package tierd.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tierd.model.DataSize;
import tierd.model.ProcessId;
import tierd.planner.Explain;
import tierd.planner.MigrationPlan;
import tierd.profile.Breakdown;
import tierd.profile.ProfileHistory;
import tierd.profile.ProfileSummary;
import tierd.profile.SizingCurve;
import tierd.profile.WindowProfile;

/**
 * What {@code tierd profile} found, and its text rendering (the JSON and HTML renderings read the
 * same fields).
 *
 * @param windows the kept windows, oldest first, with their processes
 * @param plan the what-if plan of the last window, or null
 * @param whatIfFastBytes the what-if fast tier, or null
 * @param top processes listed
 */
record ProfileReport(
    ProfileSummary summary,
    List<WindowProfile> windows,
    String heatSource,
    Duration duration,
    Duration interval,
    MigrationPlan plan,
    Long whatIfFastBytes,
    int top) {

  /** Rows of the "over time" table at most. */
  static final int SERIES_ROWS = 12;

  /** The largest processes of the last window (at most {@link #top}). */
  List<WindowProfile.ProcessProfile> topProcesses() {
    List<WindowProfile.ProcessProfile> all = summary.latest().processes();
    return all.subList(0, Math.min(top, all.size()));
  }

  /** Share of the recent accesses the what-if fast tier would serve (NaN without accesses). */
  double whatIfServedShare() {
    SizingCurve curve = summary.latest().curve();
    return whatIfFastBytes == null || curve == null
        ? Double.NaN
        : curve.servedShare(whatIfFastBytes);
  }

  /** One process's breakdown per window (absent from a window: not yet or no longer managed). */
  Map<Instant, Breakdown> seriesOf(ProcessId key) {
    Map<Instant, Breakdown> out = new LinkedHashMap<>();
    for (WindowProfile w : windows) {
      for (WindowProfile.ProcessProfile p : w.processes()) {
        if (p.key().equals(key)) {
          out.put(w.at(), p.breakdown());
        }
      }
    }
    return out;
  }

  List<Object> processSeriesJson() {
    List<Object> out = new ArrayList<>();
    for (WindowProfile.ProcessProfile p : topProcesses()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pid", p.key().pid());
      m.put("comm", p.comm());
      List<Object> points = new ArrayList<>();
      seriesOf(p.key())
          .forEach(
              (at, b) -> {
                Map<String, Object> pt = new LinkedHashMap<>();
                pt.put("at", at.toString());
                pt.put("hotBytes", b.hotBytes());
                pt.put("warmBytes", b.warmBytes());
                pt.put("coldBytes", b.coldBytes());
                points.add(pt);
              });
      m.put("points", points);
      out.add(m);
    }
    return out;
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    WindowProfile last = summary.latest();
    sb.append(
        String.format(
            Locale.ROOT,
            "profile of %d processes over %s via %s (%d windows of %s)%n%n",
            last.processCount(),
            ProfileHistory.words(summary.watched()),
            heatSource,
            windows.size(),
            ProfileHistory.words(interval)));
    sb.append(summary.sentence()).append("\n\n");
    Table host = breakdownTable("");
    breakdownRow(host, "host", last.host());
    sb.append(host);
    sb.append('\n');
    Table sizing = new Table("fast tier", "serves (of recent accesses)", "below it");
    for (int i = 0; i < SizingCurve.SERVED_SHARES.size(); i++) {
      long fast = last.fastBytesForShares().get(i);
      sizing.row(
          bytes(fast),
          percent(SizingCurve.SERVED_SHARES.get(i)),
          bytes(Math.max(0, last.host().residentBytes() - fast)));
    }
    if (whatIfFastBytes != null) {
      double served = whatIfServedShare();
      sizing.row(
          bytes(whatIfFastBytes) + " (what-if)",
          Double.isNaN(served) ? "-" : percent(served),
          bytes(Math.max(0, last.host().residentBytes() - whatIfFastBytes)));
    }
    sb.append(sizing).append('\n');
    if (!last.cgroups().isEmpty()) {
      Table cg = breakdownTable("processes");
      for (WindowProfile.CgroupProfile c : last.cgroups()) {
        breakdownRow(cg, c.cgroup(), c.breakdown(), c.processes());
      }
      sb.append(cg).append('\n');
    }
    Table procs = breakdownTable("pid", "comm");
    for (WindowProfile.ProcessProfile p : topProcesses()) {
      breakdownRow(procs, p.cgroup(), p.breakdown(), p.key().pid(), p.comm());
    }
    if (last.processes().size() > top) {
      sb.append(top).append(" largest of ").append(last.processes().size()).append(" processes\n");
    }
    sb.append(procs).append('\n');
    sb.append(overTime());
    if (plan != null) {
      sb.append('\n').append("what-if plan (nothing moves):\n");
      Explain.lines(plan).forEach(l -> sb.append(l).append('\n'));
    }
    return sb.toString();
  }

  /** The host over time, at most {@link #SERIES_ROWS} windows evenly picked. */
  private String overTime() {
    Table t = new Table("at", "resident", "hot", "warm", "cold", "window hot set");
    int n = windows.size();
    int step = Math.max(1, (n + SERIES_ROWS - 1) / SERIES_ROWS);
    Instant first = n == 0 ? Instant.EPOCH : windows.get(0).at();
    for (int i = 0; i < n; i++) {
      if (i % step != 0 && i != n - 1) {
        continue;
      }
      WindowProfile w = windows.get(i);
      Breakdown b = w.host();
      t.row(
          "+" + ProfileHistory.words(Duration.between(first, w.at())),
          bytes(b.residentBytes()),
          bytes(b.hotBytes()),
          bytes(b.warmBytes()),
          bytes(b.coldBytes()),
          b.accessed() ? bytes(b.hotSetBytes()) : "-");
    }
    return "host over time:\n" + t;
  }

  private static Table breakdownTable(String... leading) {
    List<String> h = new ArrayList<>();
    h.add(leading.length == 0 || leading[0].isEmpty() ? "" : "cgroup");
    for (String l : leading) {
      if (!l.isEmpty()) {
        h.add(l);
      }
    }
    h.addAll(
        List.of(
            "resident",
            "hot",
            "warm",
            "cold",
            "hot set",
            "idle p50",
            "p90",
            "p99",
            "idle ≥1m",
            "≥10m",
            "≥1h"));
    return new Table(h.toArray(new String[0]));
  }

  private static void breakdownRow(Table t, String name, Breakdown b, Object... leading) {
    List<Object> cells = new ArrayList<>();
    cells.add(name);
    cells.addAll(List.of(leading));
    cells.addAll(
        List.of(
            bytes(b.residentBytes()),
            bytes(b.hotBytes()),
            bytes(b.warmBytes()),
            bytes(b.coldBytes()),
            b.accessed() ? bytes(b.hotSetBytes()) : "-",
            ProfileHistory.words(b.idleP50()),
            ProfileHistory.words(b.idleP90()),
            ProfileHistory.words(b.idleP99()),
            bytes(b.idle1mBytes()),
            bytes(b.idle10mBytes()),
            bytes(b.idle1hBytes())));
    t.row(cells.toArray());
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String bytes(long b) {
    return DataSize.human(b);
  }
}
