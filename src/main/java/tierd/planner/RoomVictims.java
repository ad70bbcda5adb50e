package tierd.planner;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The data of one node that may go down to make room (pressure, make room first, exchange), in the
 * order the rules take it. Without classes: one queue, coldest first ({@link
 * DemotionEntries#coldest}: COLD by idle age, then WARM by rising heat). With classes: the tenants
 * above their floor give first, lower priority first, coldest first within a priority; a tenant at
 * or below its floor gives only once none above its floor has data left to give that is not hotter
 * (a WARM entry hotter than the limit ends its priority's turn, and every later entry of that
 * priority is hotter still).
 *
 * <p>{@link #next} hands out entries and remembers them; {@link #putBack} returns those still open,
 * so that an exchange that gave up leaves its victims for the next one.
 */
final class RoomVictims {

  private final int node;
  private final DemotionEntries entries;
  private final Segments segments;
  private final Tenants tenants;
  private final CandidateQueue[] levels;
  private int[] deferred = new int[8];
  private int deferredCount;
  private int deferredNext;
  private boolean lastBelowFloor;

  private RoomVictims(
      int node,
      DemotionEntries entries,
      Segments segments,
      Tenants tenants,
      CandidateQueue[] levels) {
    this.node = node;
    this.entries = entries;
    this.segments = segments;
    this.tenants = tenants;
    this.levels = levels;
  }

  /** The open entries of {@code node} that pass {@code filter}, in room order. */
  static RoomVictims of(
      int node, IntPredicate filter, DemotionEntries entries, Segments segments, Tenants tenants) {
    if (!tenants.configured()) {
      return new RoomVictims(
          node,
          entries,
          segments,
          tenants,
          new CandidateQueue[] {entries.coldest(node, segments, filter)});
    }
    TreeSet<Integer> priorities = new TreeSet<>();
    for (int tenant = 0; tenant < tenants.count(); tenant++) {
      priorities.add(tenants.priority(tenant));
    }
    CandidateQueue[] levels = new CandidateQueue[priorities.size()];
    int level = 0;
    for (int priority : priorities) {
      levels[level++] =
          entries.coldest(
              node,
              segments,
              segment ->
                  filter.test(segment) && tenants.priority(tenants.tenantOf(segment)) == priority);
    }
    return new RoomVictims(node, entries, segments, tenants, levels);
  }

  /**
   * The next entry to try, taken out of the order, or -1 when none is left: WARM entries hotter
   * than {@code maxWarmHeat} are not handed out.
   */
  int next(double maxWarmHeat) {
    lastBelowFloor = false;
    for (CandidateQueue level : levels) {
      while (!level.isEmpty()) {
        int entry = level.peek();
        if (!entries.open(node, entry)) {
          level.poll(); // decided by another step meanwhile
          continue;
        }
        int segment = entries.segment(node, entry);
        if (!segments.cold(segment) && segments.heat(segment) > maxWarmHeat) {
          break; // WARM entries come by rising heat: none further in this level qualifies
        }
        level.take();
        if (tenants.configured() && tenants.atOrBelowFloor(tenants.tenantOf(segment))) {
          defer(entry);
          continue;
        }
        return entry;
      }
    }
    while (deferredNext < deferredCount) {
      int entry = deferred[deferredNext++];
      if (entries.open(node, entry)) {
        lastBelowFloor = true;
        return entry;
      }
    }
    return -1;
  }

  /**
   * True when the entry {@link #next} handed out last belongs to a tenant at or below its floor.
   */
  boolean lastBelowFloor() {
    return lastBelowFloor;
  }

  /**
   * Of {@code neededBytes}, what the last entry handed out should give: no more than takes its
   * tenant to its floor, unless that tenant is already at or below it (then all that is needed).
   */
  long bytesToGive(int entry, long neededBytes) {
    if (!tenants.configured() || lastBelowFloor) {
      return neededBytes;
    }
    int tenant = tenants.tenantOf(entries.segment(node, entry));
    return Math.min(neededBytes, tenants.aboveFloorBytes(tenant));
  }

  /**
   * Demotes entries in this order, each as much as is still needed and its tenant may give, until
   * {@code needBytes} are freed, no entry is left or the budget is gone. Returns the bytes freed;
   * adds every entry it demoted to {@code demoted}, so that a caller can undo them.
   */
  long demote(
      Demotion demotion,
      Demotion.Purpose purpose,
      double maxWarmHeat,
      long needBytes,
      List<Integer> demoted) {
    long freedBytes = 0;
    while (freedBytes < needBytes) {
      int entry = next(maxWarmHeat);
      if (entry < 0) {
        break;
      }
      Demotion.Outcome outcome =
          demotion.demote(node, entry, purpose, bytesToGive(entry, needBytes - freedBytes));
      if (outcome instanceof Demotion.BudgetExhausted) {
        break;
      }
      if (outcome instanceof Demotion.Moved moved && moved.bytes() > 0) {
        demoted.add(entry);
        freedBytes += moved.bytes();
      }
    }
    return freedBytes;
  }

  /** Returns every entry handed out since the last call that is still open. */
  void putBack() {
    for (CandidateQueue level : levels) {
      level.putBackTaken(entry -> entries.open(node, entry));
    }
    deferredCount = 0;
    deferredNext = 0;
  }

  private void defer(int entry) {
    if (deferredCount == deferred.length) {
      deferred = Arrays.copyOf(deferred, deferredCount * 2);
    }
    deferred[deferredCount++] = entry;
  }
}
