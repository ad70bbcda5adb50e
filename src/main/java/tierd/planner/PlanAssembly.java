package tierd.planner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;

/**
 * The end of a run: the booked moves become {@link Move}s over their whole segments (partial when
 * booked for part of one: a placement says how many bytes, not which pages), ping-pongs marked; the
 * nodes their projections, the counts a {@link MigrationPlan.Summary}; and the state for the next
 * cycle takes the buckets as the plan leaves them and the history with the plan's moves.
 */
final class PlanAssembly {

  private PlanAssembly() {}

  static PlanResult assemble(
      PlanInput input,
      PlannerState state,
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      SkipLog skips,
      SegmentJoin.Counts counts,
      ResidencyRule residency,
      Tenants tenants) {
    Instant now = input.now();
    List<Move> moves = new ArrayList<>(ledger.planned().size());
    int pingPongs = 0;
    long promotedBytes = 0;
    long demotedBytes = 0;
    for (Ledger.PlannedMove planned : ledger.planned()) {
      int segment = planned.segment();
      ProcessView process = segments.process(segment);
      VmaView vma = segments.vma(segment);
      AddressRange range = new AddressRange(segments.start(segment), segments.end(segment));
      boolean partial = planned.end() < segments.end(segment);
      boolean pingPong = residency.pingPong(process.key(), range, planned.direction());
      if (pingPong) {
        pingPongs++;
      }
      if (planned.direction() == Direction.PROMOTE) {
        promotedBytes += planned.bytes();
      } else {
        demotedBytes += planned.bytes();
      }
      moves.add(
          new Move(
              process.pid(),
              process.startTimeTicks(),
              List.of(range),
              NodeSet.of(nodes.nodeId(planned.source())),
              nodes.nodeId(planned.target()),
              planned.bytes(),
              partial,
              planned.direction(),
              vma.vma().pageBytes(),
              vma.thpAligned(),
              vma.moveAll(),
              pingPong,
              new Reason(planned.code(), planned.text())));
    }
    List<MigrationPlan.NodeProjection> projections = new ArrayList<>(nodes.count());
    for (int node = 0; node < nodes.count(); node++) {
      projections.add(
          new MigrationPlan.NodeProjection(
              nodes.nodeId(node),
              nodes.tierRank(node),
              nodes.totalBytes(node),
              nodes.freeAtStartBytes(node),
              ledger.freeBytes(node),
              nodes.lowBytes(node),
              nodes.highBytes(node),
              nodes.fillLimitBytes(node)));
    }
    MigrationPlan.Summary summary =
        new MigrationPlan.Summary(
            promotedBytes,
            demotedBytes,
            counts.promotionDemandBytes(),
            ledger.promotionEarnedBytes(),
            ledger.startTokens(Direction.PROMOTE),
            ledger.startTokens(Direction.DEMOTE),
            ledger.cycleCapBytes(),
            pingPongs,
            input.regions().size(),
            counts.segmentsSeen(),
            counts.staleRegions(),
            input.thresholds(),
            projections);
    MigrationPlan plan =
        new MigrationPlan(
            now,
            moves,
            skips.listed(),
            skips.counts(),
            skips.bytes(),
            skips.notListed(),
            summary,
            tenants.shares(ledger.planned()));
    Set<ProcessId> alive = new HashSet<>();
    for (ManagedProcess process : input.processes()) {
      alive.add(new ProcessId(process.pid(), process.startTimeTicks()));
    }
    PlannerState next =
        new PlannerState(
            ledger.nextBucket(Direction.PROMOTE),
            ledger.nextBucket(Direction.DEMOTE),
            state.residency().withMoves(moves, now, residency.forgetBefore(), alive),
            state.pingPongsTotal() + pingPongs);
    return new PlanResult(plan, next);
  }
}
