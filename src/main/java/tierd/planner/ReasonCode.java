package tierd.planner;

/** Why a move was planned; each code has one rule of the planner behind it. */
public enum ReasonCode {
  /** HOT data on a slower tier goes to the nearest allowed faster node with room. */
  HOT(Direction.PROMOTE),
  /** HOT data on a node over its fill limit is promoted out first (design rule 6, seed 004). */
  HOT_OVER_FILL_LIMIT(Direction.PROMOTE),
  /** COLD data leaves a node whose free memory is under its low watermark, until the high one. */
  COLD_PRESSURE(Direction.DEMOTE),
  /** COLD data idle for the configured proactive age goes down without pressure. */
  COLD_PROACTIVE(Direction.DEMOTE),
  /** The coldest data of a full node goes down to make room for hotter data waiting below. */
  EXCHANGE(Direction.DEMOTE),
  /**
   * Data on a demotion-only node whose usable capacity shrank below what it holds goes up, hottest
   * first, into room the faster nodes have (seed 004).
   */
  OVER_CAPACITY_PROMOTE(Direction.PROMOTE),
  /** The same, down to a lower tier when there is one, coldest first. */
  OVER_CAPACITY_DEMOTE(Direction.DEMOTE),
  /** The coldest data of a tenant over its fast-tier ceiling goes down to the ceiling. */
  TENANT_CEILING(Direction.DEMOTE);

  private final Direction direction;

  ReasonCode(Direction direction) {
    this.direction = direction;
  }

  public Direction direction() {
    return direction;
  }
}
