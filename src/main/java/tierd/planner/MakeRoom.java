package tierd.planner;

import java.util.ArrayList;
import java.util.List;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Thresholds;

/**
 * Make room first (design rule 5, issue 16). Before any promotion, each faster node that the
 * confirmed hot data waiting for it would push below its floor (high watermark plus margin) demotes
 * its coldest data that is allowed to move — COLD first, longest idle first, then WARM by rising
 * heat while it is colder than the coolest of that hot data by the hysteresis gap — just enough for
 * those promotions to land above the floor, and no more: the last region goes down only in the part
 * that is needed. The demand counted is what the promotion step will take: candidates in promotion
 * order, within the promotion budget and the cycle cap, not held back by residency, counted at
 * their nearest allowed faster node. Hot data of fewer windows than confirmation needs is not
 * counted (it moves only into free room). When the victims cannot free all of it, the promotion
 * step moves what fits and exchanges or holds back the rest as before. With classes, the victims
 * come in the tenants' order ({@link RoomVictims}), and hot data that would take its tenant over
 * its ceiling is not counted: it moves only in exchange for the tenant's own data.
 *
 * <p>Its demotions come first in the plan, so the mover sends them first (and, chunk by chunk,
 * alternates them with the promotions into the room they make).
 */
final class MakeRoom {

  private final PlannerConfig config;
  private final Thresholds thresholds;
  private final NodeTable nodes;
  private final Ledger ledger;
  private final Segments segments;
  private final PromotionCandidates candidates;
  private final DemotionEntries entries;
  private final Demotion demotion;
  private final ResidencyRule residency;
  private final Tenants tenants;

  MakeRoom(
      PlannerConfig config,
      Thresholds thresholds,
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      PromotionCandidates candidates,
      DemotionEntries entries,
      Demotion demotion,
      ResidencyRule residency,
      Tenants tenants) {
    this.config = config;
    this.thresholds = thresholds;
    this.nodes = nodes;
    this.ledger = ledger;
    this.segments = segments;
    this.candidates = candidates;
    this.entries = entries;
    this.demotion = demotion;
    this.residency = residency;
    this.tenants = tenants;
  }

  /**
   * What waits for one node: its bytes, the heat of the coolest of them, and the least room that
   * lets one of them land (a whole candidate, or one aligned unit of it as a partial promotion).
   */
  private static final class Demand {
    long bytes;

    /** Room the node has left once the promotions that need none have taken theirs. */
    long roomLeftBytes;

    double coolestHeat = Double.MAX_VALUE;
    long smallestUsefulBytes = Long.MAX_VALUE;
  }

  void run() {
    if (!config.exchange() || candidates.count() == 0) {
      return;
    }
    Demand[] demand = demandByTarget();
    long promotionBytes = 0;
    for (Demand d : demand) {
      promotionBytes += d == null ? 0 : d.bytes;
    }
    // The demotions leave the cycle cap for the promotions they make room for.
    ledger.holdCap(promotionBytes);
    try {
      for (int node : nodes.fastestFirst()) {
        Demand d = demand[node];
        if (d == null || !nodes.hasSlowerTier(node)) {
          continue;
        }
        long needBytes = d.bytes - d.roomLeftBytes;
        if (needBytes > 0) {
          makeRoom(node, needBytes, d);
        }
      }
    } finally {
      ledger.releaseCap(promotionBytes);
    }
  }

  /**
   * Confirmed hot bytes waiting per node, in promotion order until the promotion allowance is
   * spent; null where nothing waits. The promotion step is played through on a copy of the room
   * each node has: a candidate that some allowed node can take as it is goes there and waits for
   * nothing; one that none can is counted at the node an exchange would make room on (the nearest
   * allowed whose fill limit lets it in, else the nearest).
   */
  private Demand[] demandByTarget() {
    Demand[] demand = new Demand[nodes.count()];
    long[] roomBytes = new long[nodes.count()];
    for (int node = 0; node < roomBytes.length; node++) {
      roomBytes[node] = ledger.roomBytes(node);
    }
    long allowanceBytes = ledger.allowance(Direction.PROMOTE);
    long[] tenantFastBytes = tenants.fastBytesNow();
    CandidateQueue queue = candidates.queue(nodes, segments);
    while (!queue.isEmpty() && allowanceBytes >= Ledger.BASE_PAGE_BYTES) {
      int candidate = queue.poll();
      int segment = candidates.segment(candidate);
      int source = candidates.source(candidate);
      ScoredRegion region = segments.region(segment);
      if (!thresholds.confirmed(region.hotWindows())
          || residency.recentlyMoved(segment, source, Direction.PROMOTE)) {
        continue;
      }
      int[] targets = segments.vma(segment).promotionTargets(source);
      if (targets.length == 0) {
        continue;
      }
      long bytes = Math.min(segments.bytes(segment, source), allowanceBytes);
      if (tenants.configured() && tenants.anyFast(targets)) {
        // over its tenant's ceiling it moves only within the tenant: it waits for no room
        int tenant = tenants.tenantOf(segment);
        if (tenants.ceilingBytes(tenant) - tenantFastBytes[tenant] < bytes) {
          continue;
        }
        tenantFastBytes[tenant] += bytes;
      }
      allowanceBytes -= bytes;
      int direct = firstWithRoom(targets, roomBytes, bytes);
      if (direct >= 0) {
        roomBytes[direct] -= bytes;
        continue;
      }
      int roomNode = targets[0];
      for (int target : targets) {
        if (ledger.withinFillLimit(target, bytes)) {
          roomNode = target;
          break;
        }
      }
      Demand d = demand[roomNode];
      if (d == null) {
        d = new Demand();
        demand[roomNode] = d;
      }
      d.bytes += bytes;
      d.coolestHeat = Math.min(d.coolestHeat, region.heat());
      d.smallestUsefulBytes =
          Math.min(d.smallestUsefulBytes, Math.min(bytes, segments.vma(segment).unitBytes()));
    }
    for (int node = 0; node < demand.length; node++) {
      if (demand[node] != null) {
        demand[node].roomLeftBytes = roomBytes[node];
      }
    }
    return demand;
  }

  private static int firstWithRoom(int[] targets, long[] roomBytes, long bytes) {
    for (int target : targets) {
      if (roomBytes[target] >= bytes) {
        return target;
      }
    }
    return -1;
  }

  private void makeRoom(int node, long needBytes, Demand demand) {
    RoomVictims victims = RoomVictims.of(node, segments::roomVictim, entries, segments, tenants);
    double maxWarmHeat = demand.coolestHeat - thresholds.gap();
    Demotion.Purpose purpose =
        new Demotion.Purpose(
            ReasonCode.EXCHANGE,
            "making room first for "
                + Texts.bytes(demand.bytes)
                + " of hot data waiting below (node "
                + nodes.nodeId(node)
                + " has "
                + Texts.bytes(Math.max(0, ledger.roomBytes(node)))
                + " free above its high wmark + margin)");
    int mark = ledger.mark();
    List<Integer> demoted = new ArrayList<>();
    long freedBytes = victims.demote(demotion, purpose, maxWarmHeat, needBytes, demoted);
    if (demand.roomLeftBytes + freedBytes < demand.smallestUsefulBytes) {
      // Not even one of the promotions waiting could land: demoting would only churn.
      ledger.rollbackTo(mark);
      for (int entry : demoted) {
        entries.reopen(node, entry);
      }
    }
  }
}
