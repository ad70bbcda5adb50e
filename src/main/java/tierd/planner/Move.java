package tierd.planner;

import java.util.List;
import tierd.model.AddressRange;
import tierd.model.NodeSet;

/**
 * One planned migration, as the mover consumes it: for process {@code pid} (dropped if its start
 * time no longer matches), query the placement of the pages in {@code ranges}, and move those on
 * {@code fromNodes} to {@code toNode}.
 *
 * @param pid target process
 * @param startTimeTicks the process's start time in clock ticks; a mismatch means pid reuse
 * @param ranges virtual address ranges, each aligned to {@code pageBytes} (and to 2 MiB folio
 *     boundaries when {@code thpAligned})
 * @param fromNodes nodes the pages may be on now; pages elsewhere are left alone. Never in {@code
 *     toNode}'s tier
 * @param toNode the target node
 * @param bytes expected bytes to move (from the placement the plan was given; estimated or exact)
 * @param partial the move takes only {@code bytes} of what its ranges hold on {@code fromNodes},
 *     the rest staying for a later plan: the mover stops once that much has moved. Its ranges are
 *     still the whole scored range, because a placement gives bytes per node, not which pages: the
 *     pages on a source node may sit anywhere in it (the 2node boot's cold buffer, half demoted,
 *     kept a demotion for room on the half already below for 80 cycles while it named a prefix)
 * @param direction PROMOTE or DEMOTE
 * @param pageBytes page size of the VMA: base page, or the huge page size of a hugetlb VMA
 * @param thpAligned the ranges' ends inside their VMA sit on THP (2 MiB) boundaries, so no folio is
 *     split between two moves
 * @param moveAll the VMA is shared and config allows MPOL_MF_MOVE_ALL (needs CAP_SYS_NICE)
 * @param pingPong this move reverses the range's last move (counted, allowed after residency)
 * @param reason why
 */
public record Move(
    int pid,
    long startTimeTicks,
    List<AddressRange> ranges,
    NodeSet fromNodes,
    int toNode,
    long bytes,
    boolean partial,
    Direction direction,
    long pageBytes,
    boolean thpAligned,
    boolean moveAll,
    boolean pingPong,
    Reason reason) {

  public Move {
    ranges = List.copyOf(ranges);
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("a move needs at least one range");
    }
    if (fromNodes.isEmpty() || fromNodes.contains(toNode)) {
      throw new IllegalArgumentException(
          "bad move nodes: from " + fromNodes + " to " + toNode + " (from must exclude to)");
    }
    if (reason.code().direction() != direction) {
      throw new IllegalArgumentException(
          "reason " + reason.code() + " does not fit direction " + direction);
    }
  }
}
