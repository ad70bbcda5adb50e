package tierd.planner;

/**
 * Demotion under pressure: a node with a slower tier whose free memory is under its low watermark
 * demotes COLD data, longest idle first, until its free memory would reach its floor (the high
 * watermark plus the room margin), and no more: the last region goes down only in the part that is
 * needed. Once the budget is gone, the rest of what it would have demoted is held back by it. With
 * classes, the data goes in the tenants' order ({@link RoomVictims}).
 */
final class PressureRelief {

  private final NodeTable nodes;
  private final Ledger ledger;
  private final Segments segments;
  private final DemotionEntries entries;
  private final Demotion demotion;
  private final SkipLog skips;
  private final Tenants tenants;

  PressureRelief(
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      DemotionEntries entries,
      Demotion demotion,
      SkipLog skips,
      Tenants tenants) {
    this.nodes = nodes;
    this.ledger = ledger;
    this.segments = segments;
    this.entries = entries;
    this.demotion = demotion;
    this.skips = skips;
    this.tenants = tenants;
  }

  void run() {
    for (int node : nodes.fastestFirst()) {
      if (nodes.hasSlowerTier(node) && ledger.freeBytes(node) < nodes.lowBytes(node)) {
        relieve(node);
      }
    }
  }

  private void relieve(int node) {
    long needBytes = nodes.floorBytes(node) - ledger.freeBytes(node);
    long freeAtStart = nodes.freeAtStartBytes(node);
    Demotion.Purpose purpose =
        new Demotion.Purpose(
            ReasonCode.COLD_PRESSURE,
            "free "
                + Texts.bytes(freeAtStart)
                + " < low wmark "
                + Texts.bytes(nodes.lowBytes(node))
                + ", "
                + Texts.bytes(nodes.floorBytes(node) - freeAtStart)
                + " short of high + margin");
    RoomVictims coldest = RoomVictims.of(node, segments::cold, entries, segments, tenants);
    boolean budgetGone = false;
    while (needBytes > 0) {
      int entry = coldest.next(Double.POSITIVE_INFINITY);
      if (entry < 0) {
        break;
      }
      int segment = entries.segment(node, entry);
      if (budgetGone) {
        entries.decide(node, entry);
        skips.heldByBudget(segment, node, Direction.DEMOTE);
        needBytes -= segments.bytes(segment, node);
        continue;
      }
      Demotion.Outcome outcome =
          demotion.demote(node, entry, purpose, coldest.bytesToGive(entry, needBytes));
      if (outcome instanceof Demotion.BudgetExhausted) {
        budgetGone = true;
        needBytes -= segments.bytes(segment, node);
      } else if (outcome instanceof Demotion.Moved moved) {
        needBytes -= moved.bytes();
      }
    }
  }
}
