package tierd.planner;

import java.util.ArrayList;
import java.util.List;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Thresholds;

/**
 * Exchange: when a faster node is full and hotter data waits below, its coldest data goes down to
 * make room — COLD first (longest idle first), then WARM by rising heat while its heat is at least
 * the hysteresis gap below the waiting data's. All or nothing: if the victims cannot free what the
 * promotion needs, their demotions are undone, they stay candidates for the next exchange, and the
 * node is not tried again this run.
 */
final class Exchange {

  private final Thresholds thresholds;
  private final Ledger ledger;
  private final Segments segments;
  private final DemotionEntries entries;
  private final Demotion demotion;
  private final ReasonTexts texts;
  private final CandidateQueue[] victimQueues;
  private final boolean[] failedOn;

  Exchange(
      Thresholds thresholds,
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      DemotionEntries entries,
      Demotion demotion,
      ReasonTexts texts) {
    this.thresholds = thresholds;
    this.ledger = ledger;
    this.segments = segments;
    this.entries = entries;
    this.demotion = demotion;
    this.texts = texts;
    this.victimQueues = new CandidateQueue[nodes.count()];
    this.failedOn = new boolean[nodes.count()];
  }

  /** True when an exchange on {@code node} already failed this run. */
  boolean failedOn(int node) {
    return failedOn[node];
  }

  /**
   * Demotes the coldest data of {@code node} until {@code needBytes} are freed for a promotion of
   * {@code promotionBytes} of segment {@code hotSegment}, leaving the cycle cap for that promotion.
   * Returns the bytes freed, or 0 when it could not free enough (and undid what it planned).
   */
  long makeRoom(int node, long needBytes, int hotSegment, long promotionBytes) {
    CandidateQueue victims = victimQueues[node];
    if (victims == null) {
      victims = entries.coldest(node, segments, segment -> segments.vma(segment).movable());
      victimQueues[node] = victims;
    }
    ScoredRegion hotRegion = segments.region(hotSegment);
    double maxWarmHeat = hotRegion.heat() - thresholds.gap();
    Demotion.Purpose purpose =
        new Demotion.Purpose(
            ReasonCode.EXCHANGE,
            "making room for hotter data (pid "
                + segments.process(hotSegment).pid()
                + " "
                + segments.range(hotSegment)
                + ", "
                + texts.hot(hotRegion)
                + ")");
    int mark = ledger.mark();
    List<Integer> demoted = new ArrayList<>();
    long freedBytes = 0;
    ledger.holdCap(promotionBytes);
    while (freedBytes < needBytes && !victims.isEmpty()) {
      int entry = victims.peek();
      int segment = entries.segment(node, entry);
      if (!entries.open(node, entry)) {
        victims.poll(); // decided by another step meanwhile
        continue;
      }
      if (!segments.cold(segment) && segments.heat(segment) > maxWarmHeat) {
        break; // WARM victims come by rising heat: none further qualifies
      }
      victims.take();
      Demotion.Outcome outcome = demotion.demote(node, entry, purpose, needBytes - freedBytes);
      if (outcome instanceof Demotion.BudgetExhausted) {
        break;
      }
      if (outcome instanceof Demotion.Moved moved && moved.bytes() > 0) {
        demoted.add(entry);
        freedBytes += moved.bytes();
      }
    }
    ledger.releaseCap(promotionBytes);
    if (freedBytes < needBytes) {
      ledger.rollbackTo(mark);
      for (int entry : demoted) {
        entries.reopen(node, entry);
      }
      freedBytes = 0;
      failedOn[node] = true;
    }
    victims.putBackTaken(entry -> entries.open(node, entry));
    return freedBytes;
  }
}
