package tierd.planner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tierd.model.AddressRange;

/**
 * Renders a {@link MigrationPlan} for people ({@link #lines}) and for machines ({@link #json}:
 * maps, lists, strings, numbers and booleans only, ready for any JSON writer). Pure.
 */
public final class Explain {

  private Explain() {}

  /**
   * One header line, one line per node, one line per move with its reason, one line per listed
   * skipped candidate with why, and a line of counts per skip reason.
   */
  public static List<String> lines(MigrationPlan plan) {
    MigrationPlan.Summary s = plan.summary();
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "plan at %s: %d moves (promote %s, demote %s), %d skipped; hot ≥ %s, cold ≤ %s%s;"
                + " %d ping-pong%s",
            plan.at(),
            plan.moves().size(),
            Texts.bytes(s.promoteBytes()),
            Texts.bytes(s.demoteBytes()),
            skippedTotal(plan),
            Texts.heat(s.thresholds().hot()),
            Texts.heat(s.thresholds().cold()),
            s.thresholds().pinned() ? " (pinned)" : "",
            s.pingPongs(),
            s.pingPongs() == 1 ? "" : "s"));
    out.add(
        String.format(
            Locale.ROOT,
            "budget: promote %s of %s tokens, demote %s of %s tokens, cycle cap %s;"
                + " promotion demand %s",
            Texts.bytes(s.promoteBytes()),
            Texts.bytes(s.promoteTokensBytes()),
            Texts.bytes(s.demoteBytes()),
            Texts.bytes(s.demoteTokensBytes()),
            Texts.bytes(s.cycleCapBytes()),
            Texts.bytes(s.promotionDemandBytes())));
    for (MigrationPlan.NodeProjection n : s.nodes()) {
      out.add(
          String.format(
              Locale.ROOT,
              "node %d tier %d: free %s → %s of %s (low %s, high %s%s)",
              n.node(),
              n.tierRank(),
              Texts.bytes(n.freeBytes()),
              Texts.bytes(n.projectedFreeBytes()),
              Texts.bytes(n.totalBytes()),
              Texts.bytes(n.lowBytes()),
              Texts.bytes(n.highBytes()),
              n.fillLimitBytes() < n.totalBytes()
                  ? ", fill limit " + Texts.bytes(n.fillLimitBytes())
                  : ""));
    }
    for (TenantShare t : plan.tenants()) {
      out.add(tenantLine(t));
    }
    for (Move m : plan.moves()) {
      out.add(moveLine(m));
    }
    for (Skip k : plan.skipped()) {
      out.add(
          String.format(
              Locale.ROOT,
              "skip %s pid %d %s %s on node %s [%s]: %s",
              k.direction().name().toLowerCase(Locale.ROOT),
              k.pid(),
              k.range(),
              Texts.bytes(k.bytes()),
              k.fromNode() < 0 ? "?" : Integer.toString(k.fromNode()),
              k.reason(),
              k.text()));
    }
    if (plan.skipsNotListed() > 0) {
      out.add("… " + plan.skipsNotListed() + " more skipped candidates not listed");
    }
    if (!plan.skipCounts().isEmpty()) {
      StringBuilder sb = new StringBuilder("skipped by reason:");
      plan.skipCounts()
          .forEach(
              (r, c) ->
                  sb.append(' ')
                      .append(r)
                      .append('=')
                      .append(c)
                      .append(" (")
                      .append(Texts.bytes(plan.skipBytes().getOrDefault(r, 0L)))
                      .append(')'));
      out.add(sb.toString());
    }
    return out;
  }

  /**
   * {@code tenant web (class web, priority 10): fast 1.1GiB → 1.8GiB of 4GiB resident; floor 60 % =
   * 2.4GiB (deficit 600MiB); no ceiling}: its fast bytes before and after the plan (one figure when
   * the plan leaves them), the deficit after it.
   */
  public static String tenantLine(TenantShare t) {
    return String.format(
        Locale.ROOT,
        "tenant %s (class %s, priority %d): fast %s of %s resident; %s; %s",
        t.name(),
        t.className(),
        t.priority(),
        t.projectedFastBytes() == t.fastBytes()
            ? Texts.bytes(t.fastBytes())
            : Texts.bytes(t.fastBytes()) + " → " + Texts.bytes(t.projectedFastBytes()),
        Texts.bytes(t.residentBytes()),
        t.floorBytes() < 0
            ? "no floor"
            : "floor "
                + t.floor()
                + effective(t.floor(), t.floorBytes())
                + (t.deficitBytes() > 0 ? " (deficit " + Texts.bytes(t.deficitBytes()) + ")" : ""),
        t.ceilingBytes() < 0
            ? "no ceiling"
            : "ceiling " + t.ceiling() + effective(t.ceiling(), t.ceilingBytes()));
  }

  /** {@code " = 2.4GiB"} when the configured share is not those bytes as written, else "". */
  private static String effective(String configured, long bytes) {
    return configured.equals(Texts.bytes(bytes)) ? "" : " = " + Texts.bytes(bytes);
  }

  /** One move with its reason, as {@link #lines} lists it. */
  public static String moveLine(Move m) {
    return String.format(
        Locale.ROOT,
        "move %s pid %d %s %s%s node %s → %d [%s]%s: %s",
        m.direction().name().toLowerCase(Locale.ROOT),
        m.pid(),
        ranges(m.ranges()),
        m.partial() ? "up to " : "",
        Texts.bytes(m.bytes()),
        m.fromNodes(),
        m.toNode(),
        m.reason().code(),
        m.pingPong() ? " ping-pong" : "",
        m.reason().text());
  }

  /** The plan as nested maps and lists; addresses as hex strings, sizes in bytes. */
  public static Map<String, Object> json(MigrationPlan plan) {
    MigrationPlan.Summary s = plan.summary();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("at", plan.at().toString());
    Map<String, Object> sum = new LinkedHashMap<>();
    sum.put("promoteBytes", s.promoteBytes());
    sum.put("demoteBytes", s.demoteBytes());
    sum.put("promotionDemandBytes", s.promotionDemandBytes());
    sum.put("promotionBudgetEarnedBytes", s.promotionBudgetEarnedBytes());
    sum.put("promoteTokensBytes", s.promoteTokensBytes());
    sum.put("demoteTokensBytes", s.demoteTokensBytes());
    sum.put("cycleCapBytes", s.cycleCapBytes());
    sum.put("pingPongs", s.pingPongs());
    sum.put("regions", s.regions());
    sum.put("segments", s.segments());
    sum.put("staleRegions", s.staleRegions());
    Map<String, Object> th = new LinkedHashMap<>();
    th.put("hot", s.thresholds().hot());
    th.put("cold", s.thresholds().cold());
    th.put("pinned", s.thresholds().pinned());
    th.put("capacityFit", s.thresholds().capacityFit());
    th.put("rateFit", s.thresholds().rateFit());
    th.put("hotCapacityBytes", s.thresholds().hotCapacityBytes());
    sum.put("thresholds", th);
    List<Object> nodes = new ArrayList<>();
    for (MigrationPlan.NodeProjection n : s.nodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", n.node());
      m.put("tier", n.tierRank());
      m.put("totalBytes", n.totalBytes());
      m.put("freeBytes", n.freeBytes());
      m.put("projectedFreeBytes", n.projectedFreeBytes());
      m.put("lowBytes", n.lowBytes());
      m.put("highBytes", n.highBytes());
      m.put("fillLimitBytes", n.fillLimitBytes());
      nodes.add(m);
    }
    sum.put("nodes", nodes);
    root.put("summary", sum);
    List<Object> moves = new ArrayList<>();
    for (Move mv : plan.moves()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pid", mv.pid());
      m.put("startTimeTicks", mv.startTimeTicks());
      m.put("direction", mv.direction().name());
      m.put("ranges", rangeList(mv.ranges()));
      m.put("fromNodes", mv.fromNodes().stream().boxed().toList());
      m.put("toNode", mv.toNode());
      m.put("bytes", mv.bytes());
      m.put("partial", mv.partial());
      m.put("pageBytes", mv.pageBytes());
      m.put("thpAligned", mv.thpAligned());
      m.put("moveAll", mv.moveAll());
      m.put("pingPong", mv.pingPong());
      m.put("code", mv.reason().code().name());
      m.put("reason", mv.reason().text());
      moves.add(m);
    }
    root.put("moves", moves);
    List<Object> skipped = new ArrayList<>();
    for (Skip k : plan.skipped()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pid", k.pid());
      m.put("startTimeTicks", k.startTimeTicks());
      m.put("direction", k.direction().name());
      m.put("range", rangeMap(k.range()));
      m.put("fromNode", k.fromNode());
      m.put("bytes", k.bytes());
      m.put("why", k.reason().name());
      m.put("text", k.text());
      skipped.add(m);
    }
    root.put("skipped", skipped);
    root.put("skipsNotListed", plan.skipsNotListed());
    Map<String, Object> counts = new LinkedHashMap<>();
    plan.skipCounts().forEach((r, c) -> counts.put(r.name(), c));
    root.put("skipCounts", counts);
    Map<String, Object> bytes = new LinkedHashMap<>();
    plan.skipBytes().forEach((r, c) -> bytes.put(r.name(), c));
    root.put("skipBytes", bytes);
    if (!plan.tenants().isEmpty()) {
      List<Object> tenants = new ArrayList<>();
      for (TenantShare t : plan.tenants()) {
        tenants.add(tenant(t));
      }
      root.put("tenants", tenants);
    }
    return root;
  }

  /** One tenant's share as {@link #json} and {@code /status} give it. */
  public static Map<String, Object> tenant(TenantShare t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    m.put("class", t.className());
    m.put("priority", t.priority());
    m.put("residentBytes", t.residentBytes());
    m.put("fastBytes", t.fastBytes());
    m.put("projectedFastBytes", t.projectedFastBytes());
    m.put("floorBytes", t.floorBytes());
    m.put("ceilingBytes", t.ceilingBytes());
    m.put("floor", t.floor());
    m.put("ceiling", t.ceiling());
    m.put("deficitBytes", t.deficitBytes());
    Map<String, Object> byReason = new LinkedHashMap<>();
    t.movesByReason().forEach((code, n) -> byReason.put(code.name(), n));
    m.put("movesByReason", byReason);
    return m;
  }

  private static long skippedTotal(MigrationPlan plan) {
    long n = 0;
    for (long c : plan.skipCounts().values()) {
      n += c;
    }
    return n;
  }

  private static String ranges(List<AddressRange> ranges) {
    StringBuilder sb = new StringBuilder();
    for (AddressRange r : ranges) {
      sb.append(sb.length() == 0 ? "" : ",").append(r);
    }
    return sb.toString();
  }

  private static List<Object> rangeList(List<AddressRange> ranges) {
    List<Object> out = new ArrayList<>();
    for (AddressRange r : ranges) {
      out.add(rangeMap(r));
    }
    return out;
  }

  private static Map<String, Object> rangeMap(AddressRange r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", "0x" + Long.toHexString(r.start()));
    m.put("end", "0x" + Long.toHexString(r.end()));
    m.put("sizeBytes", r.sizeBytes());
    return m;
  }
}
