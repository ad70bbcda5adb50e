package tierd.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYAreaRenderer2;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import tierd.model.DataSize;
import tierd.profile.Breakdown;
import tierd.profile.ProfileHistory;
import tierd.profile.SizingCurve;
import tierd.profile.WindowProfile;

/**
 * The profile as one self-contained HTML file: tables as in the text report and charts drawn by
 * JFreeChart (headless AWT), inlined as PNG {@code data:} URIs, so the file makes no request of its
 * own. This is the only class that uses JFreeChart or AWT: the other commands never load them.
 */
final class ProfileHtml {

  static final int WIDTH = 760;
  static final int HEIGHT = 300;
  static final int SMALL_HEIGHT = 220;

  /** Processes with a chart of their own. */
  static final int CHARTED_PROCESSES = 4;

  private static final double MIB = 1024.0 * 1024;
  private static final Color HOT = new Color(0xd6, 0x45, 0x2f);
  private static final Color WARM = new Color(0xf2, 0xb1, 0x34);
  private static final Color COLD = new Color(0x3b, 0x7d, 0xd8);

  private ProfileHtml() {}

  static void write(Path file, ProfileReport r) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.writeString(file, html(r));
  }

  static String html(ProfileReport r) {
    WindowProfile last = r.summary().latest();
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>tierd profile</title><style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.85em}")
        .append(
            "td,th{border:1px solid #ccc;padding:0.2em 0.6em;text-align:right;white-space:nowrap}")
        .append("td:first-child,th:first-child{text-align:left}")
        .append("img{display:block;margin:0.5em 0 1.5em;border:1px solid #eee}")
        .append(".answer{font-size:1.25em;background:#f4f7fb;padding:0.8em;border-left:4px solid")
        .append(" #3b7dd8}</style></head><body>\n");
    sb.append("<h1>tierd profile</h1>\n<p>")
        .append(
            esc(
                String.format(
                    Locale.ROOT,
                    "%d processes watched for %s via %s, one window every %s, ending %s.",
                    last.processCount(),
                    ProfileHistory.words(r.summary().watched()),
                    r.heatSource(),
                    ProfileHistory.words(r.interval()),
                    last.at())))
        .append("</p>\n<p class=\"answer\">")
        .append(esc(r.summary().sentence()))
        .append("</p>\n");
    sb.append("<h2>Hot, warm and cold memory over time</h2>\n");
    sb.append(img("host: resident bytes by heat class", areaChart("host", hostSeries(r)), HEIGHT));
    int charted = 0;
    for (WindowProfile.ProcessProfile p : r.topProcesses()) {
      if (charted++ >= CHARTED_PROCESSES) {
        break;
      }
      String title = p.comm() + " (pid " + p.key().pid() + ")";
      sb.append(img(title, areaChart(title, r.seriesOf(p.key()), r.windows()), SMALL_HEIGHT));
    }
    sb.append("<h2>Idle age</h2>\n");
    sb.append(img("idle-age distribution of the resident bytes", idleChart(last.host()), HEIGHT));
    sb.append(breakdownTable(r));
    sb.append("<h2>Sizing curve</h2>\n<p>")
        .append(
            esc(
                "Regions ranked by access rate, hottest first: a fast tier of X holds the hottest X"
                    + " bytes and serves that share of the recent accesses; the rest sit below."))
        .append("</p>\n");
    sb.append(img("sizing curve", sizingChart(r), HEIGHT));
    sb.append("<table><tr><th>fast tier</th><th>serves</th><th>below it</th></tr>\n");
    for (int i = 0; i < SizingCurve.SERVED_SHARES.size(); i++) {
      long fast = last.fastBytesForShares().get(i);
      sb.append("<tr><td>")
          .append(DataSize.human(fast))
          .append("</td><td>")
          .append(ProfileReport.percent(SizingCurve.SERVED_SHARES.get(i)))
          .append("</td><td>")
          .append(DataSize.human(Math.max(0, last.host().residentBytes() - fast)))
          .append("</td></tr>\n");
    }
    sb.append("</table>\n");
    if (r.plan() != null) {
      sb.append("<h2>What-if plan (nothing moves)</h2>\n<pre>");
      tierd.planner.Explain.lines(r.plan()).forEach(l -> sb.append(esc(l)).append('\n'));
      sb.append("</pre>\n");
    }
    sb.append("<p><small>Definitions: docs/profile.md in tierd's repository.</small></p>\n");
    return sb.append("</body></html>\n").toString();
  }

  private static String breakdownTable(ProfileReport r) {
    StringBuilder sb = new StringBuilder("<table><tr><th>process</th><th>pid</th>");
    for (String h :
        List.of("resident", "hot", "warm", "cold", "hot set", "idle p50", "p90", "p99", "≥ 10m")) {
      sb.append("<th>").append(esc(h)).append("</th>");
    }
    sb.append("</tr>\n");
    row(sb, "host", "", r.summary().latest().host());
    for (WindowProfile.ProcessProfile p : r.topProcesses()) {
      row(sb, p.comm(), Integer.toString(p.key().pid()), p.breakdown());
    }
    return sb.append("</table>\n").toString();
  }

  private static void row(StringBuilder sb, String name, String pid, Breakdown b) {
    sb.append("<tr><td>").append(esc(name)).append("</td><td>").append(pid).append("</td>");
    for (String cell :
        List.of(
            DataSize.human(b.residentBytes()),
            DataSize.human(b.hotBytes()),
            DataSize.human(b.warmBytes()),
            DataSize.human(b.coldBytes()),
            b.accessed() ? DataSize.human(b.hotSetBytes()) : "-",
            ProfileHistory.words(b.idleP50()),
            ProfileHistory.words(b.idleP90()),
            ProfileHistory.words(b.idleP99()),
            DataSize.human(b.idle10mBytes()))) {
      sb.append("<td>").append(esc(cell)).append("</td>");
    }
    sb.append("</tr>\n");
  }

  private static Map<Instant, Breakdown> hostSeries(ProfileReport r) {
    Map<Instant, Breakdown> m = new java.util.LinkedHashMap<>();
    r.windows().forEach(w -> m.put(w.at(), w.host()));
    return m;
  }

  private static JFreeChart areaChart(String title, Map<Instant, Breakdown> series) {
    return areaChart(title, series, List.of());
  }

  /** Stacked hot, warm and cold MiB against seconds since the first window. */
  private static JFreeChart areaChart(
      String title, Map<Instant, Breakdown> series, List<WindowProfile> allWindows) {
    Instant first =
        allWindows.isEmpty()
            ? series.keySet().stream().findFirst().orElse(Instant.EPOCH)
            : allWindows.get(0).at();
    XYSeries hot = new XYSeries("hot", false, false);
    XYSeries warm = new XYSeries("warm", false, false);
    XYSeries cold = new XYSeries("cold", false, false);
    for (var e : series.entrySet()) {
      double t = Duration.between(first, e.getKey()).toMillis() / 1000.0;
      hot.addOrUpdate(t, e.getValue().hotBytes() / MIB);
      warm.addOrUpdate(t, e.getValue().warmBytes() / MIB);
      cold.addOrUpdate(t, e.getValue().coldBytes() / MIB);
    }
    DefaultTableXYDataset data = new DefaultTableXYDataset();
    data.addSeries(hot);
    data.addSeries(warm);
    data.addSeries(cold);
    JFreeChart chart =
        ChartFactory.createStackedXYAreaChart(
            title, "seconds", "MiB", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(new StackedXYAreaRenderer2());
    plot.getRenderer().setSeriesPaint(0, HOT);
    plot.getRenderer().setSeriesPaint(1, WARM);
    plot.getRenderer().setSeriesPaint(2, COLD);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart;
  }

  /** Resident MiB by idle-age band (the bands of the idle*Bytes figures). */
  private static JFreeChart idleChart(Breakdown b) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    long resident = b.residentBytes();
    data.addValue((resident - b.idle1mBytes()) / MIB, "bytes", "< 1 min");
    data.addValue((b.idle1mBytes() - b.idle10mBytes()) / MIB, "bytes", "1-10 min");
    data.addValue((b.idle10mBytes() - b.idle1hBytes()) / MIB, "bytes", "10 min-1 h");
    data.addValue(b.idle1hBytes() / MIB, "bytes", "≥ 1 h");
    String title =
        String.format(
            Locale.ROOT,
            "idle age per byte: p50 %s, p90 %s, p99 %s",
            ProfileHistory.words(b.idleP50()),
            ProfileHistory.words(b.idleP90()),
            ProfileHistory.words(b.idleP99()));
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, "idle for", "MiB", data, PlotOrientation.VERTICAL, false, false, false);
    chart.getCategoryPlot().getRenderer().setSeriesPaint(0, COLD);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart;
  }

  /** Share of accesses served against fast-tier MiB, with the hot set (and what-if) marked. */
  private static JFreeChart sizingChart(ProfileReport r) {
    XYSeries s = new XYSeries("served", false, true);
    for (SizingCurve.Point p : r.summary().latest().curvePoints()) {
      s.add(p.fastBytes() / MIB, p.servedShare() * 100);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "share of recent accesses a fast tier would serve",
            "fast tier (MiB)",
            "% of accesses served",
            new XYSeriesCollection(s),
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    plot.getRenderer().setSeriesPaint(0, HOT);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRangeAxis().setRange(0, 100);
    r.summary()
        .hotSetBytes()
        .ifPresent(h -> plot.addDomainMarker(marker(h / MIB, "hot set (p95)", COLD)));
    if (r.whatIfFastBytes() != null) {
      plot.addDomainMarker(marker(r.whatIfFastBytes() / MIB, "what-if", WARM));
    }
    return chart;
  }

  private static ValueMarker marker(double x, String label, Color color) {
    ValueMarker m = new ValueMarker(x);
    m.setPaint(color);
    m.setLabel(label);
    return m;
  }

  private static String img(String alt, JFreeChart chart, int height) {
    BufferedImage image = chart.createBufferedImage(WIDTH, height);
    byte[] png;
    try {
      png = ChartUtils.encodeAsPNG(image);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a chart as PNG", e);
    }
    return "<img alt=\""
        + esc(alt)
        + "\" width=\""
        + image.getWidth()
        + "\" height=\""
        + image.getHeight()
        + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png)
        + "\">\n";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
