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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;
import tierd.scoring.ScoredRegion;

/**
 * The tenant rules, one small world each, on the reference box (nodes 0 and 1 DRAM, node 2 CXL,
 * node 3 slower CXL). Processes are {@code app<pid>}; a class matches them by comm.
 */
class TenantRulesTest {

  static final long SECOND_VMA = BASE + GiB;

  /** No margin, so that room is the high watermark alone and the figures stay round. */
  static final PlannerConfig CONFIG = PlannerConfig.builder().roomMargin(0).build();

  static TenantClass tenantClass(
      String name, String pids, FastShare floor, FastShare ceiling, int priority) {
    ProcessFilter byComm =
        new ProcessFilter(
            Optional.of(Pattern.compile("app(" + pids + ")")), Optional.empty(), List.of(), 0, -1);
    return new TenantClass(
        name, byComm, Optional.ofNullable(floor), Optional.ofNullable(ceiling), priority);
  }

  static MigrationPlan plan(
      PlannerConfig config,
      List<TenantClass> classes,
      List<ManagedProcess> processes,
      List<ScoredRegion> regions) {
    // node 1 full: 100 MiB free, its high watermark 122.9 MiB
    PlanInput input =
        Fixtures.input(Fixtures.box(6 * GiB, 100 * MiB, 12 * GiB, 24 * GiB), processes, regions)
            .withTenancy(Tenancy.assign(classes, processes, pid -> ""));
    return new Planner(config).plan(input, PlannerState.initial()).plan();
  }

  /** pid 2: 8 MiB hot on node 2, allowed only on nodes 1-3, so it can go up only to node 1. */
  static ManagedProcess hotBelow() {
    return process(
        2, NodeSet.of(1, 2, 3), List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB))));
  }

  static ManagedProcess coldOnNode1(int pid, long bytes) {
    return process(pid, ALL, List.of(vma(BASE, bytes, MemPolicy.DEFAULT, on(1, bytes))));
  }

  static List<String> moves(MigrationPlan plan) {
    List<String> out = new ArrayList<>();
    for (Move m : plan.moves()) {
      out.add(m.pid() + " " + m.fromNodes() + "→" + m.toNode() + " " + m.reason().code());
    }
    return out;
  }

  @Test
  void roomComesFromATenantAboveItsFloorBeforeOneAtItsFloorEvenIfColder() {
    List<ManagedProcess> processes =
        List.of(coldOnNode1(1, 64 * MiB), hotBelow(), coldOnNode1(3, 64 * MiB));
    List<ScoredRegion> regions =
        List.of(
            cold(1, BASE, 64 * MiB, Duration.ofHours(2)),
            hot(2, BASE, 8 * MiB, 0.9),
            cold(3, BASE, 64 * MiB, Duration.ofMinutes(20)));
    MigrationPlan without = plan(CONFIG, List.of(), processes, regions);
    assertThat(moves(without)).as("without classes the coldest goes").startsWith("1 1→2 EXCHANGE");

    List<TenantClass> classes =
        List.of(tenantClass("web", "1", FastShare.ofBytes(64 * MiB), null, 0));
    MigrationPlan with = plan(CONFIG, classes, processes, regions);
    assertThat(moves(with)).containsExactly("3 1→2 EXCHANGE", "2 2→1 HOT");
    assertThat(with.moves().get(0).reason().text())
        .endsWith("; tenant default has no floor, priority 0");
    assertThat(with.tenants())
        .extracting(TenantShare::name, TenantShare::fastBytes, TenantShare::floorBytes)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("web", 64 * MiB, 64 * MiB),
            org.assertj.core.groups.Tuple.tuple("default", 64 * MiB, -1L));
  }

  @Test
  void aTenantAtItsFloorGivesRoomOnlyWhenNoOtherHasDataAsCold() {
    List<ManagedProcess> processes = List.of(coldOnNode1(1, 64 * MiB), hotBelow());
    List<ScoredRegion> regions =
        List.of(cold(1, BASE, 64 * MiB, Duration.ofHours(2)), hot(2, BASE, 8 * MiB, 0.9));
    List<TenantClass> classes =
        List.of(tenantClass("web", "1", FastShare.ofResident(1.0), null, 0));
    MigrationPlan plan = plan(CONFIG, classes, processes, regions);
    assertThat(moves(plan)).containsExactly("1 1→2 EXCHANGE", "2 2→1 HOT");
    assertThat(plan.moves().get(0).reason().text())
        .endsWith(
            "; tenant web below floor 100 % = 64MiB (64MiB fast): demoted only as no tenant above"
                + " its floor had data here as cold");
  }

  @Test
  void lowerPriorityGivesRoomFirst() {
    List<ManagedProcess> processes =
        List.of(coldOnNode1(1, 64 * MiB), hotBelow(), coldOnNode1(3, 64 * MiB));
    List<ScoredRegion> regions =
        List.of(
            cold(1, BASE, 64 * MiB, Duration.ofHours(2)),
            hot(2, BASE, 8 * MiB, 0.9),
            cold(3, BASE, 64 * MiB, Duration.ofMinutes(20)));
    List<TenantClass> classes =
        List.of(
            tenantClass("gold", "1", null, null, 10), tenantClass("bronze", "3", null, null, -5));
    MigrationPlan plan = plan(CONFIG, classes, processes, regions);
    assertThat(moves(plan)).containsExactly("3 1→2 EXCHANGE", "2 2→1 HOT");
    assertThat(plan.moves().get(0).reason().text())
        .endsWith("tenant bronze has no floor, priority -5");
  }

  /** pid 2 with 8 MiB hot on node 2 and {@code fastBytes} cold on node 1. */
  static ManagedProcess hotBelowColdAbove(long fastBytes) {
    return process(
        2,
        ALL,
        List.of(
            vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB)),
            vma(SECOND_VMA, fastBytes, MemPolicy.DEFAULT, on(0, fastBytes))));
  }

  static List<ScoredRegion> hotBelowColdAboveRegions(long fastBytes) {
    return List.of(
        hot(2, BASE, 8 * MiB, 0.9), cold(2, SECOND_VMA, fastBytes, Duration.ofMinutes(30)));
  }

  @Test
  void aPromotionOverTheCeilingIsAnExchangeWithinTheTenant() {
    List<TenantClass> classes =
        List.of(tenantClass("batch", "2", null, FastShare.ofBytes(64 * MiB), 0));
    MigrationPlan plan =
        plan(
            CONFIG,
            classes,
            List.of(hotBelowColdAbove(64 * MiB)),
            hotBelowColdAboveRegions(64 * MiB));
    assertThat(moves(plan)).containsExactly("2 0→2 EXCHANGE", "2 2→0 HOT");
    assertThat(plan.moves().get(0).bytes()).isEqualTo(8 * MiB);
    assertThat(plan.moves().get(0).reason().text())
        .contains("making room within tenant batch at ceiling 64MiB (64MiB fast + 8MiB hot)");
    assertThat(plan.moves().get(1).reason().text())
        .endsWith(
            "tenant batch at ceiling 64MiB (64MiB fast + 8MiB hot): exchanged within the tenant");
    assertThat(plan.tenants().get(0).projectedFastBytes()).isEqualTo(64 * MiB);
  }

  @Test
  void withoutExchangeAPromotionOverTheCeilingIsHeldBackAndSaysWhy() {
    List<TenantClass> classes =
        List.of(tenantClass("batch", "2", null, FastShare.ofBytes(64 * MiB), 0));
    PlannerConfig noExchange = CONFIG.toBuilder().exchange(false).build();
    MigrationPlan plan =
        plan(
            noExchange,
            classes,
            List.of(hotBelowColdAbove(64 * MiB)),
            hotBelowColdAboveRegions(64 * MiB));
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.skipped())
        .filteredOn(skip -> skip.reason() == SkipReason.TENANT_CEILING)
        .singleElement()
        .extracting(Skip::text)
        .isEqualTo(
            "tenant batch at ceiling 64MiB (64MiB fast + 8MiB hot): moves up only in exchange for the"
                + " tenant's own colder data on node 0; planner.exchange is off");
  }

  @Test
  void aTenantOverItsCeilingDemotesItsColdestDataDownToIt() {
    List<TenantClass> classes =
        List.of(tenantClass("batch", "2", null, FastShare.ofBytes(64 * MiB), 0));
    MigrationPlan plan =
        plan(
            CONFIG,
            classes,
            List.of(hotBelowColdAbove(96 * MiB)),
            hotBelowColdAboveRegions(96 * MiB));
    assertThat(moves(plan)).first().isEqualTo("2 0→2 TENANT_CEILING");
    assertThat(plan.moves().get(0).bytes())
        .as("down to the ceiling, no further")
        .isEqualTo(32 * MiB);
    assertThat(plan.moves().get(0).reason().text())
        .endsWith(", tenant batch over ceiling 64MiB (96MiB fast)");
  }

  @Test
  void aTenantOverItsCeilingWithOnlyHotDataGivesTheLeastHot() {
    List<TenantClass> classes =
        List.of(tenantClass("batch", "2", null, FastShare.ofBytes(64 * MiB), 0));
    ManagedProcess batch =
        process(
            2,
            ALL,
            List.of(
                vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB)),
                vma(SECOND_VMA, 32 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB))));
    MigrationPlan plan =
        plan(
            CONFIG,
            classes,
            List.of(batch),
            List.of(hot(2, BASE, 64 * MiB, 0.9), hot(2, SECOND_VMA, 32 * MiB, 0.5)));
    assertThat(moves(plan)).containsExactly("2 0→2 TENANT_CEILING");
    assertThat(plan.moves().get(0).ranges().get(0).start()).isEqualTo(SECOND_VMA);
    assertThat(plan.moves().get(0).bytes()).isEqualTo(32 * MiB);
    assertThat(plan.moves().get(0).reason().text())
        .startsWith("hot (idle 0ms, heat 0.50) on node 0");
  }

  @Test
  void hotDataNeverGoesDownForRoom() {
    // pid 3 (with a ceiling, so its fast hot data is a demotion entry) is under its ceiling: the
    // hotter data of pid 2 waiting below finds no victim, not pid 3's less hot data
    List<TenantClass> classes =
        List.of(tenantClass("capped", "3", null, FastShare.ofBytes(GiB), 0));
    ManagedProcess warmish =
        process(3, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(1, 64 * MiB))));
    MigrationPlan plan =
        plan(
            CONFIG,
            classes,
            List.of(hotBelow(), warmish),
            List.of(hot(2, BASE, 8 * MiB, 0.95), hot(3, BASE, 64 * MiB, 0.41)));
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.skipped())
        .anyMatch(skip -> skip.pid() == 2 && skip.reason() == SkipReason.WATERMARK);
  }

  @Test
  void proactiveDemotionStopsAtTheFloorAndSaysSo() {
    PlannerConfig proactive =
        CONFIG.toBuilder().proactiveDemotionAge(Duration.ofMinutes(10)).build();
    List<TenantClass> classes =
        List.of(tenantClass("web", "1", FastShare.ofBytes(48 * MiB), null, 0));
    ManagedProcess web =
        process(
            1,
            ALL,
            List.of(
                vma(BASE, 32 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB)),
                vma(SECOND_VMA, 32 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB))));
    MigrationPlan plan =
        plan(
            proactive,
            classes,
            List.of(web),
            List.of(
                cold(1, BASE, 32 * MiB, Duration.ofHours(2)),
                cold(1, SECOND_VMA, 32 * MiB, Duration.ofHours(1))));
    assertThat(moves(plan)).containsExactly("1 0→2 COLD_PROACTIVE");
    assertThat(plan.moves().get(0).bytes()).as("64 MiB fast, floor 48 MiB").isEqualTo(16 * MiB);
    assertThat(plan.skipped())
        .filteredOn(skip -> skip.reason() == SkipReason.TENANT_FLOOR)
        .singleElement()
        .extracting(Skip::text)
        .isEqualTo("tenant web below floor 48MiB (48MiB fast): not demoted");
  }

  @Test
  void aFloorNeverOverridesTheCpusetAndThePlanSaysSo() {
    List<TenantClass> classes =
        List.of(tenantClass("web", "1", FastShare.ofResident(0.5), null, 0));
    ManagedProcess confined =
        process(
            1, NodeSet.of(2, 3), List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB))));
    MigrationPlan plan =
        plan(CONFIG, classes, List.of(confined), List.of(hot(1, BASE, 8 * MiB, 0.9)));
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.skipped())
        .singleElement()
        .satisfies(
            skip -> {
              assertThat(skip.reason()).isEqualTo(SkipReason.CPUSET);
              assertThat(skip.text())
                  .endsWith(
                      "; tenant web below floor 50 % = 4MiB (0B fast), but a floor never"
                          + " overrides it");
            });
  }
}
