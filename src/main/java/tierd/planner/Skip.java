package tierd.planner;

import tierd.model.AddressRange;

/**
 * A candidate the planner did not move, and why.
 *
 * @param pid owning process
 * @param startTimeTicks its start time in clock ticks
 * @param range the candidate range
 * @param direction the move it would have been
 * @param fromNode the node its pages are on
 * @param bytes bytes that stayed
 * @param reason the rule that held it back
 * @param text a sentence with the figures, e.g. {@code cpuset.mems.effective 1-2 allows no faster
 *     node than node 1 (faster: 0)}
 */
public record Skip(
    int pid,
    long startTimeTicks,
    AddressRange range,
    Direction direction,
    int fromNode,
    long bytes,
    SkipReason reason,
    String text) {}
