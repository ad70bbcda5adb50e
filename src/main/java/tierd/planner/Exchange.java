package tierd.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Thresholds;

/**
 * Exchange: when a faster node is full and hotter data waits below, its coldest data goes down to
 * make room — COLD first (longest idle first), then WARM by rising heat while its heat is at least
 * the hysteresis gap below the waiting data's. All or nothing: if the victims cannot free what the
 * promotion needs, their demotions are undone, they stay candidates for the next exchange, and the
 * node is not tried again this run. With classes, victims come in the tenants' order ({@link
 * RoomVictims}); a tenant at its ceiling exchanges within itself ({@link #makeRoomWithinTenant}).
 */
final class Exchange {

  private final Thresholds thresholds;
  private final Ledger ledger;
  private final Segments segments;
  private final DemotionEntries entries;
  private final Demotion demotion;
  private final ReasonTexts texts;
  private final Tenants tenants;
  private final RoomVictims[] victimQueues;
  private final Map<Long, RoomVictims> withinTenant = new HashMap<>();
  private final boolean[] failedOn;

  Exchange(
      Thresholds thresholds,
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      DemotionEntries entries,
      Demotion demotion,
      ReasonTexts texts,
      Tenants tenants) {
    this.thresholds = thresholds;
    this.ledger = ledger;
    this.segments = segments;
    this.entries = entries;
    this.demotion = demotion;
    this.texts = texts;
    this.tenants = tenants;
    this.victimQueues = new RoomVictims[nodes.count()];
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
    RoomVictims victims = victimQueues[node];
    if (victims == null) {
      victims = RoomVictims.of(node, segments::roomVictim, entries, segments, tenants);
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
    long freedBytes = demoteFor(victims, node, maxWarmHeat, purpose, needBytes, promotionBytes);
    if (freedBytes == 0) {
      failedOn[node] = true;
    }
    return freedBytes;
  }

  /**
   * As {@link #makeRoom}, with victims of {@code tenant} only: how a tenant at its ceiling is
   * promoted (the promotion leaves its fast bytes where they were). A failure here does not bar the
   * node for other tenants.
   */
  long makeRoomWithinTenant(
      int node, int tenant, long needBytes, int hotSegment, long promotionBytes) {
    RoomVictims victims =
        withinTenant.computeIfAbsent(
            (long) node << 32 | tenant,
            key ->
                RoomVictims.of(
                    node,
                    segment -> segments.roomVictim(segment) && tenants.tenantOf(segment) == tenant,
                    entries,
                    segments,
                    tenants));
    ScoredRegion hotRegion = segments.region(hotSegment);
    Demotion.Purpose purpose =
        new Demotion.Purpose(
            ReasonCode.EXCHANGE,
            "making room within "
                + tenants.ceilingText(tenant, promotionBytes)
                + " for its hotter data (pid "
                + segments.process(hotSegment).pid()
                + " "
                + segments.range(hotSegment)
                + ", "
                + texts.hot(hotRegion)
                + ")",
            false);
    return demoteFor(
        victims, node, hotRegion.heat() - thresholds.gap(), purpose, needBytes, promotionBytes);
  }

  /**
   * Demotes victims of {@code node} in their order until {@code needBytes} are freed, leaving the
   * cycle cap for {@code promotionBytes}; all or nothing: returns the bytes freed, or 0 when they
   * were not enough (and their demotions were undone).
   */
  private long demoteFor(
      RoomVictims victims,
      int node,
      double maxWarmHeat,
      Demotion.Purpose purpose,
      long needBytes,
      long promotionBytes) {
    int mark = ledger.mark();
    List<Integer> demoted = new ArrayList<>();
    ledger.holdCap(promotionBytes);
    long freedBytes = victims.demote(demotion, purpose, maxWarmHeat, needBytes, demoted);
    ledger.releaseCap(promotionBytes);
    if (freedBytes < needBytes) {
      ledger.rollbackTo(mark);
      for (int entry : demoted) {
        entries.reopen(node, entry);
      }
      freedBytes = 0;
    }
    victims.putBack();
    return freedBytes;
  }
}
