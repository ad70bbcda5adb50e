package tierd.mover;

/**
 * How many bytes a node can still take before moves into it must stop: its free memory now, less
 * its floor (the high watermark plus a margin). Asked before every chunk of pages the mover sends
 * to a node, so that the room demotions make is seen at once and promotions never push a node into
 * reclaim (design rule 5: a migration into a node below its watermarks makes the kernel reclaim
 * inside the migration, which cut a promotion to about 135 pages/s in the VM).
 */
@FunctionalInterface
public interface NodeRoom {

  /**
   * Bytes that may still move into {@code node}; 0 or less when none; {@link Long#MAX_VALUE} when
   * the node is not limited (or its free memory cannot be read).
   */
  long bytesAvailable(int node);

  /** Every node takes anything (tests, dry runs). */
  NodeRoom UNLIMITED = node -> Long.MAX_VALUE;
}
