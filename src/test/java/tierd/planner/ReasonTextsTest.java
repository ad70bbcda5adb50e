package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;

/** The sentences of moves and of candidates that found no target, with their figures. */
class ReasonTextsTest {

  /** pid 1: HOT on compressed node 3 (over a 50 % fill limit), COLD on node 0. */
  static PlanningRun run() {
    return Fixtures.run(
        PlannerConfig.builder().maxFill(Map.of(3, 0.5)).build(),
        Fixtures.box(6 * GiB, 6 * GiB, 12 * GiB, 4 * GiB),
        List.of(
            process(
                1,
                ALL,
                List.of(
                    vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(3, 8 * MiB)),
                    vma(BASE + 8 * MiB, 8 * MiB, MemPolicy.DEFAULT, on(0, 8 * MiB))))),
        List.of(
            hot(1, BASE, 8 * MiB, 0.82), cold(1, BASE + 8 * MiB, 8 * MiB, Duration.ofMinutes(90))));
  }

  static ReasonTexts texts(PlanningRun run) {
    return new ReasonTexts(
        PlannerConfig.builder().maxFill(Map.of(3, 0.5)).build(),
        Fixtures.thresholds(),
        run.nodes,
        run.ledger,
        run.segments);
  }

  @Test
  void aPromotionSaysWhyWhereAndWithWhatRoom() {
    PlanningRun run = run();
    ReasonTexts texts = texts(run);
    assertThat(texts.promotion(0, 3, 2, 2, 6 * GiB, 0))
        .isEqualTo(
            "hot (0.82 ≥ 0.40 for 3 windows) on node 3 (tier 2, 88% used > maxFill 50%) → node 2"
                + " (tier 1, 3rd nearest faster allowed, nearer ones full, 5.6GiB free above high"
                + " wmark + margin)");
    assertThat(texts.promotion(0, 3, 0, 0, 0, 64 * MiB))
        .endsWith(
            "→ node 0 (tier 0, nearest faster allowed, room made by demoting 64MiB of colder data)");
  }

  @Test
  void aDemotionSaysWhyAndWhereByPurpose() {
    PlanningRun run = run();
    ReasonTexts texts = texts(run);
    assertThat(texts.demotion(1, 0, 2, 0, new Demotion.Purpose(ReasonCode.COLD_PRESSURE, "low")))
        .isEqualTo(
            "cold (idle 1h30m, heat 0.00) on node 0 (tier 0, low) → node 2 (tier 1, nearest allowed"
                + " in the next lower tier, 11.6GiB free above high wmark + margin)");
    assertThat(texts.demotion(1, 0, 2, 1, new Demotion.Purpose(ReasonCode.COLD_PROACTIVE, "idle")))
        .isEqualTo(
            "cold (idle 1h30m, heat 0.00) on node 0 (tier 0) → node 2 (tier 1, 2nd nearest allowed"
                + " in the next lower tier, 11.6GiB free above high wmark + margin), idle");
    assertThat(texts.demotion(1, 0, 2, 0, new Demotion.Purpose(ReasonCode.EXCHANGE, "room")))
        .startsWith("coldest on full node 0 (cold, heat 0.00, idle 1h30m) → node 2")
        .endsWith(", room");
  }

  @Test
  void noTargetSaysWhichLimitAndTheFiguresOfEachTarget() {
    PlanningRun run = run();
    ReasonTexts texts = texts(run);
    assertThat(texts.promotionBlocked(SkipReason.FILL_LIMIT, new int[] {0, 1}, MiB))
        .isEqualTo("every allowed faster node is at its fill limit (node 0, node 1)");
    assertThat(texts.promotionBlocked(SkipReason.WATERMARK, new int[] {0}, MiB))
        .isEqualTo(
            "no allowed faster node has 1MiB free above its high wmark + margin (node 0 5.8GiB"
                + " above high + margin); no colder data could make room");
    assertThat(texts.demotionBlocked(SkipReason.FILL_LIMIT, new int[] {3}, MiB))
        .isEqualTo(
            "every allowed node of the next lower tier is at its fill limit (node 3 88% used,"
                + " maxFill 50%)");
    assertThat(texts.demotionBlocked(SkipReason.WATERMARK, new int[] {2}, MiB))
        .isEqualTo(
            "no allowed node of the next lower tier has 1MiB free above its high wmark + margin"
                + " (node 2 11.6GiB above high + margin)");
  }

  @Test
  void ordinalsOfTheTargetsThatAreNotTheNearest() {
    assertThat(ReasonTexts.ordinal(2)).isEqualTo("2nd");
    assertThat(ReasonTexts.ordinal(3)).isEqualTo("3rd");
    assertThat(ReasonTexts.ordinal(4)).isEqualTo("4th");
  }
}
