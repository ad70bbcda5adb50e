package tierd.planner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The books of one planning run: the moves planned so far and what they leave — free bytes per
 * node, tokens per direction and what is left of the cycle cap. {@link #apply} books a move, {@link
 * #mark} and {@link #rollbackTo} take back every move booked since a mark (an exchange that could
 * not free enough is undone this way). The buckets are refilled once, when the ledger opens.
 */
final class Ledger {

  /** The smallest move: one base page. Less room or budget than this moves nothing. */
  static final long BASE_PAGE_BYTES = 4096;

  /** One booked move: bytes of a segment on {@code source} to {@code target}, up to {@code end}. */
  record PlannedMove(
      int segment,
      int source,
      int target,
      long end,
      long bytes,
      Direction direction,
      ReasonCode code,
      String text) {}

  private final NodeTable nodes;
  private final Tenants tenants;
  private final TokenBucket promoteBucket;
  private final TokenBucket demoteBucket;
  private final long promotionEarnedBytes;
  private final long cycleCapBytes;
  private final long[] freeBytes;
  private long promoteTokens;
  private long demoteTokens;
  private long cycleCapLeft;
  private final List<PlannedMove> planned = new ArrayList<>();

  /** The books at {@code now}: free bytes as the nodes report them, buckets refilled, cap full. */
  Ledger(NodeTable nodes, PlannerConfig config, PlannerState state, Instant now) {
    this(nodes, config, state, now, Tenants.none());
  }

  /** As above, keeping {@code tenants}' fast bytes with every move booked or taken back. */
  Ledger(NodeTable nodes, PlannerConfig config, PlannerState state, Instant now, Tenants tenants) {
    this.nodes = nodes;
    this.tenants = tenants;
    promoteBucket =
        state
            .promoteBudget()
            .refill(now, config.promoteBytesPerSecond(), config.promoteBurstBytes());
    demoteBucket =
        state.demoteBudget().refill(now, config.demoteBytesPerSecond(), config.demoteBurstBytes());
    promotionEarnedBytes =
        state
            .promoteBudget()
            .earned(now, config.promoteBytesPerSecond(), config.promoteBurstBytes());
    promoteTokens = promoteBucket.tokensBytes();
    demoteTokens = demoteBucket.tokensBytes();
    cycleCapBytes = config.maxBytesPerCycle().bytes();
    cycleCapLeft = cycleCapBytes;
    freeBytes = new long[nodes.count()];
    for (int node = 0; node < nodes.count(); node++) {
      freeBytes[node] = nodes.freeAtStartBytes(node);
    }
  }

  long freeBytes(int node) {
    return freeBytes[node];
  }

  /** Tokens left in the direction's bucket. */
  long tokens(Direction direction) {
    return direction == Direction.PROMOTE ? promoteTokens : demoteTokens;
  }

  long cycleCapLeft() {
    return cycleCapLeft;
  }

  long cycleCapBytes() {
    return cycleCapBytes;
  }

  /** Bytes a move in {@code direction} may still take: its tokens, within the cycle cap. */
  long allowance(Direction direction) {
    return Math.min(tokens(direction), cycleCapLeft);
  }

  /** True when the direction's bucket, not the cycle cap, is what limits the next move. */
  boolean bucketIsTighter(Direction direction) {
    return tokens(direction) < cycleCapLeft;
  }

  /** True when {@code bytes} more on {@code target} keep it within its fill limit. */
  boolean withinFillLimit(int target, long bytes) {
    return nodes.totalBytes(target) - freeBytes[target] + bytes <= nodes.fillLimitBytes(target);
  }

  /**
   * True when {@code bytes} more on {@code target} leave it free memory at its floor (high
   * watermark plus margin, {@link NodeTable#floorBytes}).
   */
  boolean aboveFloor(int target, long bytes) {
    return freeBytes[target] - bytes >= nodes.floorBytes(target);
  }

  /** Bytes {@code target} can take: above its floor and within its fill limit. */
  long roomBytes(int target) {
    return Math.min(
        freeBytes[target] - nodes.floorBytes(target),
        nodes.fillLimitBytes(target) - (nodes.totalBytes(target) - freeBytes[target]));
  }

  /**
   * Sets {@code bytes} of the cycle cap aside while the moves that make room for a promotion are
   * planned, so that they leave the cap for the promotion; {@link #releaseCap} gives them back.
   */
  void holdCap(long bytes) {
    cycleCapLeft -= bytes;
  }

  void releaseCap(long bytes) {
    cycleCapLeft += bytes;
  }

  /** Books a move: its bytes leave the source, land on the target and spend tokens and cap. */
  void apply(PlannedMove move) {
    freeBytes[move.source()] += move.bytes();
    freeBytes[move.target()] -= move.bytes();
    spend(move.direction(), move.bytes());
    tenants.book(move, 1);
    planned.add(move);
  }

  /** A mark to roll back to: the number of moves booked so far. */
  int mark() {
    return planned.size();
  }

  /** Takes back every move booked since {@code mark}, newest first. */
  void rollbackTo(int mark) {
    for (int i = planned.size() - 1; i >= mark; i--) {
      PlannedMove move = planned.remove(i);
      freeBytes[move.source()] -= move.bytes();
      freeBytes[move.target()] += move.bytes();
      spend(move.direction(), -move.bytes());
      tenants.book(move, -1);
    }
  }

  private void spend(Direction direction, long bytes) {
    if (direction == Direction.PROMOTE) {
      promoteTokens -= bytes;
    } else {
      demoteTokens -= bytes;
    }
    cycleCapLeft -= bytes;
  }

  /** The moves booked, in the order they were planned. */
  List<PlannedMove> planned() {
    return planned;
  }

  /** The direction's bucket level when the run began (after its refill). */
  long startTokens(Direction direction) {
    return (direction == Direction.PROMOTE ? promoteBucket : demoteBucket).tokensBytes();
  }

  /** Promotion bytes the bucket earned since the last plan. */
  long promotionEarnedBytes() {
    return promotionEarnedBytes;
  }

  /** The direction's bucket for the next cycle: what this plan left in it. */
  TokenBucket nextBucket(Direction direction) {
    return direction == Direction.PROMOTE
        ? new TokenBucket(promoteTokens, promoteBucket.refilledAt())
        : new TokenBucket(demoteTokens, demoteBucket.refilledAt());
  }
}
