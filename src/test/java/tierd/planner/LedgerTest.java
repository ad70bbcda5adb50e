package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.T0;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.roomyBox;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.DataSize;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.scoring.PromotionFeedback;
import tierd.scoring.ScoredRegion;
import tierd.topology.Topology;

/** The books of a run: free bytes, tokens, the cycle cap; apply, rollback, and the buckets. */
class LedgerTest {

  static final Topology BOX_TOPOLOGY = Fixtures.box(6 * GiB, 6 * GiB, 12 * GiB, 24 * GiB);
  static final NodeTable BOX = new NodeTable(BOX_TOPOLOGY, PlannerConfig.defaults());

  static Ledger ledger(PlannerConfig config) {
    return new Ledger(BOX, config, PlannerState.initial(), T0);
  }

  static Ledger.PlannedMove move(int source, int target, long bytes, Direction direction) {
    ReasonCode code = direction == Direction.PROMOTE ? ReasonCode.HOT : ReasonCode.COLD_PRESSURE;
    return new Ledger.PlannedMove(0, source, target, BASE + bytes, bytes, direction, code, "t");
  }

  @Test
  void aNewLedgerHasFullBucketsTheWholeCapAndTheNodesFreeBytes() {
    PlannerConfig config =
        PlannerConfig.builder()
            .promoteBytesPerSecond(16 * MiB)
            .demoteBytesPerSecond(32 * MiB)
            .budgetBurst(Duration.ofSeconds(2))
            .maxBytesPerCycle(DataSize.ofBytes(48 * MiB))
            .build();
    Ledger ledger = ledger(config);
    assertThat(ledger.tokens(Direction.PROMOTE)).isEqualTo(32 * MiB);
    assertThat(ledger.tokens(Direction.DEMOTE)).isEqualTo(64 * MiB);
    assertThat(ledger.startTokens(Direction.DEMOTE)).isEqualTo(64 * MiB);
    assertThat(ledger.promotionEarnedBytes()).isEqualTo(32 * MiB);
    assertThat(ledger.cycleCapLeft()).isEqualTo(48 * MiB);
    assertThat(ledger.allowance(Direction.PROMOTE)).isEqualTo(32 * MiB);
    assertThat(ledger.allowance(Direction.DEMOTE)).isEqualTo(48 * MiB);
    assertThat(ledger.bucketIsTighter(Direction.PROMOTE)).isTrue();
    assertThat(ledger.bucketIsTighter(Direction.DEMOTE)).isFalse();
    assertThat(ledger.freeBytes(2)).isEqualTo(12 * GiB);
  }

  @Test
  void applyMovesTheBytesAndSpendsAndRollbackTakesItAllBack() {
    Ledger ledger = ledger(PlannerConfig.defaults());
    long promoteTokens = ledger.tokens(Direction.PROMOTE);
    long capLeft = ledger.cycleCapLeft();
    ledger.apply(move(2, 0, 8 * MiB, Direction.PROMOTE));
    int mark = ledger.mark();
    ledger.apply(move(0, 2, 2 * MiB, Direction.DEMOTE));
    ledger.apply(move(3, 1, 4 * MiB, Direction.PROMOTE));
    assertThat(ledger.freeBytes(0)).isEqualTo(6 * GiB - 6 * MiB);
    assertThat(ledger.freeBytes(2)).isEqualTo(12 * GiB + 6 * MiB);
    assertThat(ledger.tokens(Direction.PROMOTE)).isEqualTo(promoteTokens - 12 * MiB);
    assertThat(ledger.cycleCapLeft()).isEqualTo(capLeft - 14 * MiB);
    assertThat(ledger.planned()).hasSize(3);

    ledger.rollbackTo(mark);
    assertThat(ledger.planned()).hasSize(1);
    assertThat(ledger.freeBytes(0)).isEqualTo(6 * GiB - 8 * MiB);
    assertThat(ledger.freeBytes(1)).isEqualTo(6 * GiB);
    assertThat(ledger.freeBytes(3)).isEqualTo(24 * GiB);
    assertThat(ledger.tokens(Direction.PROMOTE)).isEqualTo(promoteTokens - 8 * MiB);
    assertThat(ledger.tokens(Direction.DEMOTE)).isEqualTo(ledger.startTokens(Direction.DEMOTE));
    assertThat(ledger.cycleCapLeft()).isEqualTo(capLeft - 8 * MiB);
    assertThat(ledger.nextBucket(Direction.PROMOTE).tokensBytes())
        .isEqualTo(promoteTokens - 8 * MiB);
    assertThat(ledger.nextBucket(Direction.PROMOTE).refilledAt()).contains(T0);
  }

  @Test
  void heldCapIsLeftForTheMoveItWasHeldFor() {
    Ledger ledger = ledger(PlannerConfig.defaults());
    long capLeft = ledger.cycleCapLeft();
    ledger.holdCap(MiB);
    assertThat(ledger.cycleCapLeft()).isEqualTo(capLeft - MiB);
    ledger.releaseCap(MiB);
    assertThat(ledger.cycleCapLeft()).isEqualTo(capLeft);
  }

  @Test
  void roomIsAboveTheFloorAndWithinTheFillLimit() {
    Ledger ledger = ledger(PlannerConfig.defaults());
    long floor0 = BOX.floorBytes(0);
    assertThat(floor0)
        .as("the high watermark plus the default 1 % margin")
        .isEqualTo(BOX.highBytes(0) + (long) (BOX.totalBytes(0) * 0.01));
    long room0 = 6 * GiB - floor0;
    assertThat(ledger.aboveFloor(0, room0)).isTrue();
    assertThat(ledger.aboveFloor(0, room0 + 1)).isFalse();
    assertThat(ledger.withinFillLimit(0, 6 * GiB)).isTrue();
    assertThat(ledger.withinFillLimit(0, 6 * GiB + 1)).isFalse();
    assertThat(ledger.roomBytes(0)).isEqualTo(room0);
    // node 2: 16 GiB, 4 used; its fill limit of 50 % leaves 4 GiB, less than its free memory
    NodeTable halfFull =
        new NodeTable(BOX_TOPOLOGY, PlannerConfig.builder().maxFill(Map.of(2, 0.5)).build());
    Ledger limited =
        new Ledger(
            halfFull,
            PlannerConfig.builder().maxFill(Map.of(2, 0.5)).build(),
            PlannerState.initial(),
            T0);
    assertThat(limited.roomBytes(2)).isEqualTo(4 * GiB);
    assertThat(limited.withinFillLimit(2, 4 * GiB)).isTrue();
    assertThat(limited.withinFillLimit(2, 4 * GiB + 1)).isFalse();
  }

  @Test
  void budgetsRefillInTimeAndCarryAcrossCycles() {
    Topology t = roomyBox();
    PlannerConfig cfg =
        PlannerConfig.builder()
            .promoteBytesPerSecond(16 * MiB)
            .budgetBurst(Duration.ofSeconds(2))
            .minResidency(Duration.ZERO)
            .build();
    Planner planner = new Planner(cfg);
    ManagedProcess p =
        process(1, ALL, List.of(vma(BASE, 256 * MiB, MemPolicy.DEFAULT, on(2, 256 * MiB))));
    List<ScoredRegion> r = List.of(hot(1, BASE, 256 * MiB, 0.9));
    PlanResult first = planner.plan(Fixtures.input(t, List.of(p), r), PlannerState.initial());
    assertThat(first.plan().summary().promoteBytes()).isEqualTo(32 * MiB); // a full bucket
    assertThat(first.next().promoteBudget().tokensBytes()).isZero();
    PlanInput oneSecondLater = Fixtures.input(T0.plusSeconds(1), t, List.of(p), r);
    PlanResult second = planner.plan(oneSecondLater, first.next());
    assertThat(second.plan().summary().promoteBytes()).isEqualTo(16 * MiB);
    assertThat(second.plan().summary().promotionBudgetEarnedBytes()).isEqualTo(16 * MiB);
    assertThat(second.plan().feedback()).isEqualTo(new PromotionFeedback(256 * MiB, 16 * MiB));
  }
}
