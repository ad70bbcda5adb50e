package tierd.mover;

/**
 * What the dry-run mover recorded for one request: how many pages would have gone to the target
 * (after the read-only placement query, when it had one) and how many bytes that is.
 */
public record PlannedMove(MoveRequest request, long pages, long bytes) {}
