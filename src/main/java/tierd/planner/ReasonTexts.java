package tierd.planner;

import java.util.Locale;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Thresholds;

/**
 * The sentences of one run's reasons, with the figures as the ledger has them when a move or skip
 * is decided: why a move goes where it goes ({@code hot (0.82 ≥ 0.40 for 3 windows) on node 2 (tier
 * 1) → node 0 (tier 0, nearest faster allowed, 5.9GiB free above high wmark + margin)}) and why a
 * candidate found no target.
 */
final class ReasonTexts {

  private final PlannerConfig config;
  private final Thresholds thresholds;
  private final NodeTable nodes;
  private final Ledger ledger;
  private final Segments segments;
  private final Tenants tenants;

  ReasonTexts(
      PlannerConfig config,
      Thresholds thresholds,
      NodeTable nodes,
      Ledger ledger,
      Segments segments) {
    this(config, thresholds, nodes, ledger, segments, Tenants.none());
  }

  ReasonTexts(
      PlannerConfig config,
      Thresholds thresholds,
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      Tenants tenants) {
    this.tenants = tenants;
    this.config = config;
    this.thresholds = thresholds;
    this.nodes = nodes;
    this.ledger = ledger;
    this.segments = segments;
  }

  /** {@code hot (0.82 ≥ 0.40 for 3 windows)}. */
  String hot(ScoredRegion region) {
    return "hot ("
        + Texts.heat(region.heat())
        + " ≥ "
        + Texts.heat(thresholds.hot())
        + " for "
        + region.hotWindows()
        + " windows)";
  }

  /**
   * A promotion of a segment's data on {@code source} to {@code target}, the {@code position}-th
   * (from 0) of its allowed targets; {@code freeBeforeBytes} is what the target had free before,
   * or, when {@code exchangedBytes} &gt; 0, the room came from demoting that much colder data.
   */
  String promotion(
      int segment,
      int source,
      int target,
      int position,
      long freeBeforeBytes,
      long exchangedBytes) {
    StringBuilder text = new StringBuilder();
    text.append(hot(segments.region(segment)))
        .append(" on node ")
        .append(nodes.nodeId(source))
        .append(" (tier ")
        .append(nodes.tierRank(source));
    if (nodes.overFillLimitAtStart(source)) {
      text.append(", ")
          .append(Texts.percent(nodes.usedAtStartBytes(source) / (double) nodes.totalBytes(source)))
          .append(" used > maxFill ")
          .append(Texts.percent(config.maxFillOf(nodes.nodeId(source))));
    }
    text.append(") → node ")
        .append(nodes.nodeId(target))
        .append(" (tier ")
        .append(nodes.tierRank(target))
        .append(", ")
        .append(nearest(segments.process(segment), position))
        .append(", ");
    if (exchangedBytes > 0) {
      text.append("room made by demoting ")
          .append(Texts.bytes(exchangedBytes))
          .append(" of colder data)");
    } else {
      text.append(Texts.bytes(freeBeforeBytes - nodes.floorBytes(target)))
          .append(" free above high wmark + margin)");
    }
    return text.toString();
  }

  /**
   * Which of the allowed faster nodes the target is: {@code nearest faster allowed}, or, when the
   * process's threads ran mostly on one node, {@code nearest to the CPUs pid 123 runs on: 1 (node
   * 1)}; a later one adds that the nearer ones are full.
   */
  private static String nearest(ProcessView process, int position) {
    String which = position == 0 ? "nearest" : ordinal(position + 1) + " nearest";
    String full = position == 0 ? "" : ", nearer ones full";
    return process
            .accessor()
            .map(
                a ->
                    which
                        + " to the CPUs pid "
                        + process.pid()
                        + " runs on: "
                        + a.cpus()
                        + " (node "
                        + a.node()
                        + (a.share() < 1
                            ? ", " + Texts.percent(a.share()) + " of its CPU time"
                            : "")
                        + ")")
            .orElse(which + " faster allowed")
        + full;
  }

  /** Why HOT data of {@code bytes} found no faster node with room. */
  String promotionBlocked(SkipReason reason, int[] targets, long bytes) {
    if (reason == SkipReason.UNCONFIRMED) {
      return "hot for fewer than "
          + thresholds.confirmWindows()
          + " windows (scoring.confirmWindows) and no allowed faster node has "
          + Texts.bytes(bytes)
          + " free above its high wmark + margin ("
          + roomList(targets)
          + "): nothing is demoted for it until it is confirmed";
    }
    return reason == SkipReason.FILL_LIMIT
        ? "every allowed faster node is at its fill limit (" + nodeList(targets) + ")"
        : "no allowed faster node has "
            + Texts.bytes(bytes)
            + " free above its high wmark + margin ("
            + roomList(targets)
            + ")"
            + (config.exchange() ? "; no colder data could make room" : "");
  }

  /**
   * A demotion of a segment's data on {@code source} to {@code target}, the {@code position}-th
   * (from 0) of the allowed nodes of the next lower tier, for {@code purpose}.
   */
  String demotion(int segment, int source, int target, int position, Demotion.Purpose purpose) {
    StringBuilder text = new StringBuilder();
    ScoredRegion region = segments.region(segment);
    ReasonCode code = purpose.code();
    if (purpose.exchange()) {
      text.append("coldest on full node ")
          .append(nodes.nodeId(source))
          .append(" (")
          .append(region.heatClass().name().toLowerCase(Locale.ROOT))
          .append(", heat ")
          .append(Texts.heat(region.heat()))
          .append(", idle ")
          .append(Texts.duration(region.idleAge()))
          .append(")");
    } else if (code == ReasonCode.OVER_CAPACITY_DEMOTE) {
      text.append(region.heatClass().name().toLowerCase(Locale.ROOT))
          .append(" (heat ")
          .append(Texts.heat(region.heat()))
          .append(", idle ")
          .append(Texts.duration(region.idleAge()))
          .append(") on node ")
          .append(nodes.nodeId(source))
          .append(" (tier ")
          .append(nodes.tierRank(source))
          .append(", ")
          .append(purpose.why())
          .append(")");
    } else {
      text.append(
              code == ReasonCode.TENANT_CEILING
                  ? region.heatClass().name().toLowerCase(Locale.ROOT)
                  : "cold")
          .append(" (idle ")
          .append(Texts.duration(region.idleAge()))
          .append(", heat ")
          .append(Texts.heat(region.heat()))
          .append(") on node ")
          .append(nodes.nodeId(source))
          .append(" (tier ")
          .append(nodes.tierRank(source))
          .append(code == ReasonCode.COLD_PRESSURE ? ", " + purpose.why() : "")
          .append(")");
    }
    text.append(" → node ")
        .append(nodes.nodeId(target))
        .append(" (tier ")
        .append(nodes.tierRank(target))
        .append(", ")
        .append(position == 0 ? "nearest" : ordinal(position + 1) + " nearest")
        .append(" allowed in the next lower tier, ")
        .append(Texts.bytes(ledger.freeBytes(target) - nodes.floorBytes(target)))
        .append(" free above high wmark + margin)");
    if (purpose.exchange()
        || code == ReasonCode.COLD_PROACTIVE
        || code == ReasonCode.TENANT_CEILING) {
      text.append(", ").append(purpose.why());
    }
    if (purpose.tenantOrder() && tenants.configured()) {
      text.append("; ").append(roomNote(tenants.tenantOf(segment)));
    }
    return text.toString();
  }

  /**
   * Data of a segment leaving the demotion-only node {@code source} upward, because its capacity
   * shrank ({@code why}), to {@code target}, the {@code position}-th of its allowed faster nodes.
   */
  String overCapacityOut(int segment, int source, int target, int position, String why) {
    ScoredRegion region = segments.region(segment);
    return region.heatClass().name().toLowerCase(Locale.ROOT)
        + " (heat "
        + Texts.heat(region.heat())
        + ") on node "
        + nodes.nodeId(source)
        + " (tier "
        + nodes.tierRank(source)
        + ", "
        + why
        + ") → node "
        + nodes.nodeId(target)
        + " (tier "
        + nodes.tierRank(target)
        + ", "
        + nearest(segments.process(segment), position)
        + ", "
        + Texts.bytes(ledger.freeBytes(target) - nodes.floorBytes(target))
        + " free above high wmark + margin), hottest first";
  }

  /**
   * Where the tenant of data that goes down for room stood: {@code tenant batch above floor 1GiB
   * (3GiB fast), priority 0}, or below its floor and why it gave all the same.
   */
  private String roomNote(int tenant) {
    String priority = "priority " + tenants.priority(tenant);
    if (tenants.floorBytes(tenant) <= 0) {
      return "tenant " + tenants.name(tenant) + " has no floor, " + priority;
    }
    if (!tenants.atOrBelowFloor(tenant)) {
      return tenants.floorText(tenant) + ", " + priority;
    }
    return tenants.floorText(tenant)
        + ": demoted only as no tenant above its floor had data here as cold";
  }

  /**
   * Why {@code hotBytes} of hot data of a tenant at its ceiling did not move up into fast node
   * {@code fastTarget}.
   */
  String ceilingBlocked(int tenant, int segment, int fastTarget, long hotBytes) {
    String why;
    if (!config.exchange()) {
      why = "planner.exchange is off";
    } else if (!thresholds.confirmed(segments.region(segment).hotWindows())) {
      why =
          "hot for fewer than " + thresholds.confirmWindows() + " windows (scoring.confirmWindows)";
    } else {
      why = "too little of its own data there is colder";
    }
    return tenants.ceilingText(tenant, hotBytes)
        + ": moves up only in exchange for the tenant's own colder data on node "
        + nodes.nodeId(fastTarget)
        + "; "
        + why;
  }

  /** Why data of {@code bytes} found no node of the next lower tier with room. */
  String demotionBlocked(SkipReason reason, int[] targets, long bytes) {
    return reason == SkipReason.FILL_LIMIT
        ? "every allowed node of the next lower tier is at its fill limit ("
            + fillList(targets)
            + ")"
        : "no allowed node of the next lower tier has "
            + Texts.bytes(bytes)
            + " free above its high wmark + margin ("
            + roomList(targets)
            + ")";
  }

  /** {@code node 0, node 1}. */
  private String nodeList(int[] targets) {
    StringBuilder sb = new StringBuilder();
    for (int target : targets) {
      sb.append(sb.length() == 0 ? "" : ", ").append("node ").append(nodes.nodeId(target));
    }
    return sb.toString();
  }

  /** {@code node 3 88% used, maxFill 80%}, for each target. */
  private String fillList(int[] targets) {
    StringBuilder sb = new StringBuilder();
    for (int target : targets) {
      long total = nodes.totalBytes(target);
      sb.append(sb.length() == 0 ? "" : ", ")
          .append("node ")
          .append(nodes.nodeId(target))
          .append(' ')
          .append(Texts.percent((total - ledger.freeBytes(target)) / (double) Math.max(1, total)))
          .append(" used, maxFill ")
          .append(Texts.percent(config.maxFillOf(nodes.nodeId(target))));
    }
    return sb.toString();
  }

  /** {@code node 0 12MiB above high + margin}, for each target. */
  private String roomList(int[] targets) {
    StringBuilder sb = new StringBuilder();
    for (int target : targets) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append("node ")
          .append(nodes.nodeId(target))
          .append(' ')
          .append(Texts.bytes(Math.max(0, ledger.freeBytes(target) - nodes.floorBytes(target))))
          .append(" above high + margin");
    }
    return sb.toString();
  }

  /** {@code 2nd}, {@code 3rd}, {@code 4th}: the position of a target that is not the nearest. */
  static String ordinal(int n) {
    return switch (n) {
      case 2 -> "2nd";
      case 3 -> "3rd";
      default -> n + "th";
    };
  }
}
