package tierd.planner;

/** Which way a move goes between tiers. */
public enum Direction {
  /** To a faster tier (a lower tier rank). */
  PROMOTE,
  /** To a slower tier (a higher tier rank). */
  DEMOTE
}
