package tierd.daemon;

import java.util.HashMap;
import java.util.Map;

/**
 * tierd's own moves off and onto the demotion-only nodes that the nodes' meminfo does not show yet.
 * In the VM, three cycles in a row read a demotion-only node as holding the same 45.7 MiB although
 * each had moved 12 MiB off it, so capacity relief moved 40 MiB off for an excess of 11 MiB. Each
 * cycle's net bytes (off minus onto, by requests with that node as their only source or as their
 * target) are kept against what the node held when that cycle was planned; a later reading that
 * fell by less than that leaves the rest "unseen", and the plan takes the node to hold that much
 * less ({@link #unseenOffBytes}; negative: more, for moves onto it). A reading that shows all of
 * it, or {@link #MAX_CYCLES} readings, end the count (something else allocating there must not be
 * hidden for long).
 */
final class UnseenMoves {

  /** Readings after which what is still unseen is forgotten. */
  static final int MAX_CYCLES = 5;

  /** Net bytes moved off a node since its meminfo read {@code usedBeforeBytes}. */
  private static final class Pending {
    final long usedBeforeBytes;
    long netOffBytes;
    int readings;

    Pending(long usedBeforeBytes) {
      this.usedBeforeBytes = usedBeforeBytes;
    }
  }

  private final Map<Integer, Pending> pending = new HashMap<>();

  /**
   * Records a cycle's moves: {@code netOffBytes} moved off {@code node} (negative: onto it), which
   * held {@code usedAtPlanBytes} when the cycle read its meminfo.
   */
  void moved(int node, long netOffBytes, long usedAtPlanBytes) {
    if (netOffBytes == 0) {
      return;
    }
    pending.computeIfAbsent(node, n -> new Pending(usedAtPlanBytes)).netOffBytes += netOffBytes;
  }

  /**
   * The bytes tierd moved off {@code node} (negative: onto it) that a meminfo reading of {@code
   * usedNowBytes} does not show yet; 0 when it shows them all, or after {@link #MAX_CYCLES}
   * readings.
   */
  long unseenOffBytes(int node, long usedNowBytes) {
    Pending p = pending.get(node);
    if (p == null) {
      return 0;
    }
    long fellBytes = p.usedBeforeBytes - usedNowBytes;
    long unseen =
        p.netOffBytes > 0
            ? Math.max(0, Math.min(p.netOffBytes, p.netOffBytes - fellBytes))
            : Math.min(0, Math.max(p.netOffBytes, p.netOffBytes - fellBytes));
    p.readings++;
    if (unseen == 0 || p.readings > MAX_CYCLES) {
      pending.remove(node);
      return 0;
    }
    return unseen;
  }
}
