package tierd.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tierd.model.AddressRange;

/**
 * The placements of one planning run sorted by pid and start, checked not to overlap, with the
 * position {@link SegmentJoin} has reached in them: the join goes through the regions in the same
 * order, so the placements that lie wholly before a region's piece are behind it for good ({@link
 * #skipBefore}). A placement gives a range that overlaps it its bytes per node pro rata ({@link
 * #addShare}).
 */
final class SortedPlacements {

  private static final Comparator<RegionPlacement> ORDER =
      Comparator.comparingInt(RegionPlacement::pid).thenComparingLong(p -> p.range().start());

  private final List<RegionPlacement> placements;
  private final NodeTable nodes;

  /** The first placement not wholly before the join's position. */
  private int from;

  /** Throws IllegalArgumentException if placements of a pid overlap. */
  SortedPlacements(List<RegionPlacement> unsorted, NodeTable nodes) {
    this.placements = sorted(unsorted);
    this.nodes = nodes;
  }

  /** All placements, in order. */
  List<RegionPlacement> all() {
    return placements;
  }

  /** The index of the first placement not wholly before the join's position. */
  int from() {
    return from;
  }

  int size() {
    return placements.size();
  }

  RegionPlacement get(int index) {
    return placements.get(index);
  }

  /** Moves past the placements that lie wholly before {@code address} of process {@code pid}. */
  void skipBefore(int pid, long address) {
    while (from < placements.size() && before(placements.get(from), pid, address)) {
      from++;
    }
  }

  /**
   * Adds to {@code row} the bytes per node that the placements of {@code pid} from {@link #from} on
   * put in {@code [start, end)}, in proportion to the overlap; returns the bytes they cover.
   */
  long addPlacedBytes(long[] row, int pid, long start, long end) {
    long coveredBytes = 0;
    for (int i = from; i < placements.size(); i++) {
      RegionPlacement placement = placements.get(i);
      AddressRange placed = placement.range();
      if (placement.pid() != pid || placed.start() >= end) {
        break;
      }
      long overlapBytes = Math.min(end, placed.end()) - Math.max(start, placed.start());
      if (overlapBytes <= 0) {
        continue;
      }
      coveredBytes += overlapBytes;
      addShare(row, placement, overlapBytes);
    }
    return coveredBytes;
  }

  /**
   * Adds to {@code row} the share of {@code placement}'s bytes per node that {@code overlapBytes}
   * of it hold.
   */
  void addShare(long[] row, RegionPlacement placement, long overlapBytes) {
    double share = (double) overlapBytes / placement.range().sizeBytes();
    NodeBytes onNodes = placement.bytesOnNode();
    for (int j = 0; j < onNodes.size(); j++) {
      row[nodes.slotOf(onNodes.node(j))] += Math.round(onNodes.bytesAt(j) * share);
    }
  }

  /** True when {@code placement} lies wholly before {@code address} of process {@code pid}. */
  private static boolean before(RegionPlacement placement, int pid, long address) {
    return placement.pid() < pid || (placement.pid() == pid && placement.range().end() <= address);
  }

  private static List<RegionPlacement> sorted(List<RegionPlacement> placements) {
    List<RegionPlacement> sorted = placements;
    for (int i = 1; i < placements.size(); i++) {
      if (ORDER.compare(placements.get(i - 1), placements.get(i)) > 0) {
        sorted = new ArrayList<>(placements);
        sorted.sort(ORDER);
        break;
      }
    }
    for (int i = 1; i < sorted.size(); i++) {
      RegionPlacement previous = sorted.get(i - 1);
      RegionPlacement next = sorted.get(i);
      if (previous.pid() == next.pid() && previous.range().end() > next.range().start()) {
        throw new IllegalArgumentException(
            "placements of pid "
                + previous.pid()
                + " overlap: "
                + previous.range()
                + " and "
                + next.range());
      }
    }
    return sorted;
  }
}
