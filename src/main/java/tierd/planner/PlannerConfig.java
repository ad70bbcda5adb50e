package tierd.planner;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import tierd.model.DataSize;
import tierd.model.NodeSet;

/**
 * Planner settings, validated once on construction; an error names the key and its allowed range.
 *
 * @param promoteBytesPerSecond promotion budget, bytes per second (&gt; 0)
 * @param demoteBytesPerSecond demotion budget, bytes per second (&gt; 0)
 * @param budgetBurst each token bucket holds at most rate × burst bytes (&gt; 0)
 * @param maxBytesPerCycle cap on bytes moved in one cycle, both directions together (≥ 4 KiB)
 * @param minResidency a range that moved less than this long ago is not moved again (≥ 0)
 * @param historyRetention how long moves are remembered to count reversals as ping-pongs (≥
 *     minResidency)
 * @param proactiveDemotionAge when set, COLD data idle this long is demoted without memory pressure
 *     (&gt; 0)
 * @param preferred how a single-node {@code prefer} policy is treated
 * @param moveInterleaved when true, interleaved VMAs are moved within their nodes like {@code
 *     bind}; by default they are left alone
 * @param moveShared when true, shared VMAs are moved with MPOL_MF_MOVE_ALL; by default skipped
 * @param hugetlb whether hugetlb VMAs are skipped or moved in whole huge pages
 * @param thpAlign folio size that range ends inside a VMA that may hold THPs are snapped to, so a
 *     THP moves as one unit (a power of two ≥ 4 KiB, or 0 for none); VMAs that cannot hold THPs
 *     keep page-precise ends
 * @param maxFill per-node fill limit: share of the node's total that may be used ((0, 1]); nodes
 *     not listed have 1
 * @param exchange when a fast node is full and hotter data waits below, demote its coldest data to
 *     make room
 * @param roomMargin free memory kept above each node's high watermark, as a share of the node's
 *     total ([0, 20 %]): a move into a node stops at this floor, and an exchange demotes just
 *     enough for the promotion to land above it (design rule 5: make room first, and never make the
 *     target reclaim)
 * @param maxSkipsListed skipped candidates listed in a plan (all are counted) ([0, 10^7])
 * @param demotionOnly nodes that only demotion fills, each with the source of its usable capacity
 *     (seed 004): nothing is promoted into them, demotion into them stops at that capacity, and
 *     when it shrinks below what they hold their data leaves, hottest first up, and down when a
 *     lower tier exists
 */
public record PlannerConfig(
    long promoteBytesPerSecond,
    long demoteBytesPerSecond,
    Duration budgetBurst,
    DataSize maxBytesPerCycle,
    Duration minResidency,
    Duration historyRetention,
    Optional<Duration> proactiveDemotionAge,
    PreferredPolicy preferred,
    boolean moveInterleaved,
    boolean moveShared,
    HugetlbMode hugetlb,
    DataSize thpAlign,
    Map<Integer, Double> maxFill,
    boolean exchange,
    double roomMargin,
    int maxSkipsListed,
    Map<Integer, CapacitySource> demotionOnly) {

  /** How a single-node {@code prefer:N} policy binds tierd (design rule 2: it is soft). */
  public enum PreferredPolicy {
    /** Promote only into the preferred node, like {@code prefer (many)}; demotion is free. */
    RESPECT,
    /** Treat the VMA like {@code default}. */
    IGNORE
  }

  /**
   * What to do with hugetlb VMAs. Migrating a huge page needs a free huge page in the target node's
   * pool, which the administrator sized per node on purpose, so SKIP is the default.
   */
  public enum HugetlbMode {
    /** Leave hugetlb VMAs alone (skip reason HUGETLB). */
    SKIP,
    /** Move them in whole huge pages: range ends snapped to the VMA's huge page size. */
    MOVE
  }

  public PlannerConfig {
    Objects.requireNonNull(budgetBurst, "planner.budgetBurst");
    Objects.requireNonNull(maxBytesPerCycle, "planner.maxBytesPerCycle");
    Objects.requireNonNull(minResidency, "planner.minResidency");
    Objects.requireNonNull(historyRetention, "planner.historyRetention");
    Objects.requireNonNull(proactiveDemotionAge, "planner.proactiveDemotionAge");
    Objects.requireNonNull(preferred, "planner.preferred");
    Objects.requireNonNull(hugetlb, "planner.hugetlb");
    Objects.requireNonNull(thpAlign, "planner.thpAlign");
    if (promoteBytesPerSecond <= 0) {
      throw bad("promoteBytesPerSecond", "must be > 0", promoteBytesPerSecond);
    }
    if (demoteBytesPerSecond <= 0) {
      throw bad("demoteBytesPerSecond", "must be > 0", demoteBytesPerSecond);
    }
    if (budgetBurst.isZero() || budgetBurst.isNegative()) {
      throw bad("budgetBurst", "must be > 0", budgetBurst);
    }
    if (maxBytesPerCycle.bytes() < 4096) {
      throw bad("maxBytesPerCycle", "must be >= 4KiB", maxBytesPerCycle);
    }
    if (minResidency.isNegative()) {
      throw bad("minResidency", "must be >= 0", minResidency);
    }
    if (historyRetention.compareTo(minResidency) < 0) {
      throw bad(
          "historyRetention",
          "must be >= planner.minResidency (" + minResidency + ")",
          historyRetention);
    }
    if (proactiveDemotionAge.isPresent()
        && (proactiveDemotionAge.get().isZero() || proactiveDemotionAge.get().isNegative())) {
      throw bad("proactiveDemotionAge", "must be > 0 when set", proactiveDemotionAge.get());
    }
    long a = thpAlign.bytes();
    if (a != 0 && (a < 4096 || Long.bitCount(a) != 1)) {
      throw bad("thpAlign", "must be 0 or a power of two >= 4KiB", thpAlign);
    }
    if (!(roomMargin >= 0 && roomMargin <= 0.2)) {
      throw bad("roomMargin", "must be in [0%, 20%]", roomMargin);
    }
    TreeMap<Integer, Double> fills = new TreeMap<>();
    for (var e : maxFill.entrySet()) {
      int node = e.getKey();
      if (node < 0 || node >= NodeSet.MAX_NUMNODES) {
        throw bad("maxFill", "node ids must be in [0, " + NodeSet.MAX_NUMNODES + ")", node);
      }
      double f = e.getValue();
      if (!(f > 0 && f <= 1)) {
        throw bad("maxFill." + node, "must be in (0, 1]", f);
      }
      fills.put(node, f);
    }
    maxFill = java.util.Collections.unmodifiableMap(fills);
    if (maxSkipsListed < 0 || maxSkipsListed > 10_000_000) {
      throw bad("maxSkipsListed", "must be in [0, 10000000]", maxSkipsListed);
    }
    for (int node : demotionOnly.keySet()) {
      if (node < 0 || node >= NodeSet.MAX_NUMNODES) {
        throw bad("nodes", "node ids must be in [0, " + NodeSet.MAX_NUMNODES + ")", node);
      }
    }
    demotionOnly = java.util.Collections.unmodifiableMap(new TreeMap<>(demotionOnly));
  }

  /** True when only demotion may fill {@code node} ({@code planner.nodes.N.demotionOnly}). */
  public boolean demotionOnly(int node) {
    return demotionOnly.containsKey(node);
  }

  private static IllegalArgumentException bad(String key, String rule, Object got) {
    return new IllegalArgumentException("planner." + key + " " + rule + " (got " + got + ")");
  }

  /** The fill limit of {@code node} as a share of its total, 1 when none is set. */
  public double maxFillOf(int node) {
    return maxFill.getOrDefault(node, 1.0);
  }

  /** Promotion bucket capacity in bytes. */
  public long promoteBurstBytes() {
    return burst(promoteBytesPerSecond);
  }

  /** Demotion bucket capacity in bytes. */
  public long demoteBurstBytes() {
    return burst(demoteBytesPerSecond);
  }

  private long burst(long rate) {
    double b = rate * (budgetBurst.toNanos() / 1e9);
    return (long) Math.min(Long.MAX_VALUE / 4, Math.max(1, b));
  }

  /**
   * Defaults: 256 MiB/s each way with 5 s of burst, 2 GiB per cycle, 2 min residency, 30 min memory
   * of moves, no proactive demotion, {@code prefer} respected, interleaved, shared and hugetlb VMAs
   * left alone, 2 MiB THP alignment, no fill limits, exchange on, 10000 skips listed.
   */
  public static PlannerConfig defaults() {
    return builder().build();
  }

  /**
   * The free memory a move into a node must leave: its high watermark plus {@code roomMargin} of
   * its total. Below it the kernel would soon reclaim, inside the migration path. The planner plans
   * against this line and the mover checks it again before each chunk.
   */
  public long floorBytes(long highWatermarkBytes, long nodeTotalBytes) {
    return highWatermarkBytes + (long) (nodeTotalBytes * roomMargin);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.promoteBytesPerSecond = promoteBytesPerSecond;
    b.demoteBytesPerSecond = demoteBytesPerSecond;
    b.budgetBurst = budgetBurst;
    b.maxBytesPerCycle = maxBytesPerCycle;
    b.minResidency = minResidency;
    b.historyRetention = historyRetention;
    b.proactiveDemotionAge = proactiveDemotionAge;
    b.preferred = preferred;
    b.moveInterleaved = moveInterleaved;
    b.moveShared = moveShared;
    b.hugetlb = hugetlb;
    b.thpAlign = thpAlign;
    b.maxFill = maxFill;
    b.exchange = exchange;
    b.roomMargin = roomMargin;
    b.maxSkipsListed = maxSkipsListed;
    b.demotionOnly = demotionOnly;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private long promoteBytesPerSecond = 256L << 20;
    private long demoteBytesPerSecond = 256L << 20;
    private Duration budgetBurst = Duration.ofSeconds(5);
    private DataSize maxBytesPerCycle = DataSize.ofGiB(2);
    private Duration minResidency = Duration.ofMinutes(2);
    private Duration historyRetention = Duration.ofMinutes(30);
    private Optional<Duration> proactiveDemotionAge = Optional.empty();
    private PreferredPolicy preferred = PreferredPolicy.RESPECT;
    private boolean moveInterleaved;
    private boolean moveShared;
    private HugetlbMode hugetlb = HugetlbMode.SKIP;
    private DataSize thpAlign = DataSize.ofMiB(2);
    private Map<Integer, Double> maxFill = Map.of();
    private boolean exchange = true;
    private double roomMargin = 0.01;
    private int maxSkipsListed = 10_000;
    private Map<Integer, CapacitySource> demotionOnly = Map.of();

    private Builder() {}

    public Builder promoteBytesPerSecond(long v) {
      promoteBytesPerSecond = v;
      return this;
    }

    public Builder demoteBytesPerSecond(long v) {
      demoteBytesPerSecond = v;
      return this;
    }

    public Builder budgetBurst(Duration v) {
      budgetBurst = v;
      return this;
    }

    public Builder maxBytesPerCycle(DataSize v) {
      maxBytesPerCycle = v;
      return this;
    }

    public Builder minResidency(Duration v) {
      minResidency = v;
      return this;
    }

    public Builder historyRetention(Duration v) {
      historyRetention = v;
      return this;
    }

    public Builder proactiveDemotionAge(Duration v) {
      proactiveDemotionAge = Optional.ofNullable(v);
      return this;
    }

    public Builder preferred(PreferredPolicy v) {
      preferred = v;
      return this;
    }

    public Builder moveInterleaved(boolean v) {
      moveInterleaved = v;
      return this;
    }

    public Builder moveShared(boolean v) {
      moveShared = v;
      return this;
    }

    public Builder hugetlb(HugetlbMode v) {
      hugetlb = v;
      return this;
    }

    public Builder thpAlign(DataSize v) {
      thpAlign = v;
      return this;
    }

    public Builder maxFill(Map<Integer, Double> v) {
      maxFill = v;
      return this;
    }

    public Builder exchange(boolean v) {
      exchange = v;
      return this;
    }

    public Builder roomMargin(double v) {
      roomMargin = v;
      return this;
    }

    public Builder maxSkipsListed(int v) {
      maxSkipsListed = v;
      return this;
    }

    public Builder demotionOnly(Map<Integer, CapacitySource> v) {
      demotionOnly = v;
      return this;
    }

    public PlannerConfig build() {
      return new PlannerConfig(
          promoteBytesPerSecond,
          demoteBytesPerSecond,
          budgetBurst,
          maxBytesPerCycle,
          minResidency,
          historyRetention,
          proactiveDemotionAge,
          preferred,
          moveInterleaved,
          moveShared,
          hugetlb,
          thpAlign,
          maxFill,
          exchange,
          roomMargin,
          maxSkipsListed,
          demotionOnly);
    }
  }
}
