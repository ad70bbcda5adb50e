package tierd.planner;

/**
 * Why a move was planned: a stable code for machines and a sentence with the figures for people,
 * e.g. {@code hot (0.82 ≥ 0.40 for 3 windows) on node 1 (tier 1) → node 0 (nearest faster allowed,
 * 3.1GiB free above high wmark)}.
 */
public record Reason(ReasonCode code, String text) {}
