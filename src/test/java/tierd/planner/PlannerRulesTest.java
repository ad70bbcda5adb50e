package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.KiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.T0;
import static tierd.planner.Fixtures.box;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.roomyBox;
import static tierd.planner.Fixtures.vma;
import static tierd.planner.Fixtures.warm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.ScoredRegion;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * One named case per planner rule, on the reference box: DRAM nodes 0 and 1 (tier 0), CXL node 2
 * (tier 1, nearer node 0), compressed CXL node 3 (tier 2). Moves are written {@code
 * pid:from→to:CODE} in plan order; skips {@code pid:from:REASON}, sorted.
 */
class PlannerRulesTest {

  static final long BASE = 0x7f0000000000L;
  static final long SIZE = 64 * MiB;
  static final NodeSet ALL = NodeSet.of(0, 1, 2, 3);
  static final MemPolicy DEFAULT = MemPolicy.DEFAULT;

  record Case(
      String name,
      Topology topology,
      List<ManagedProcess> processes,
      List<ScoredRegion> regions,
      List<RegionPlacement> placements,
      PlannerConfig config,
      PlannerState state,
      List<String> moves,
      List<String> skips) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A builder for one case: processes with one 64 MiB VMA each, one region per VMA. The rules are
   * stated against the high watermark, so a case plans with no room margin ({@code
   * planner.roomMargin} 0) unless it sets one with {@link #margin}.
   */
  static final class C {
    final String name;
    Topology topology = roomyBox();
    final List<ManagedProcess> processes = new ArrayList<>();
    final List<ScoredRegion> regions = new ArrayList<>();
    final List<RegionPlacement> placements = new ArrayList<>();
    PlannerConfig.Builder config = PlannerConfig.builder();
    double roomMargin;
    PlannerState state = PlannerState.initial();

    C(String name) {
      this.name = name;
    }

    C topology(Topology t) {
      topology = t;
      return this;
    }

    C config(PlannerConfig.Builder b) {
      config = b;
      return this;
    }

    C margin(double share) {
      roomMargin = share;
      return this;
    }

    C state(PlannerState s) {
      state = s;
      return this;
    }

    C proc(int pid, NodeSet cpuset, Vma vma, ScoredRegion region) {
      processes.add(process(pid, cpuset, List.of(vma)));
      regions.add(region);
      return this;
    }

    /** pid's one VMA at BASE: default policy, all 64 MiB on {@code node}, region of the class. */
    C hotOn(int pid, int node, double heat) {
      return proc(pid, ALL, vma(BASE, SIZE, DEFAULT, on(node, SIZE)), hot(pid, BASE, SIZE, heat));
    }

    C hotOn(int pid, int node, NodeSet cpuset, MemPolicy policy) {
      return proc(pid, cpuset, vma(BASE, SIZE, policy, on(node, SIZE)), hot(pid, BASE, SIZE, 0.8));
    }

    C coldOn(int pid, int node, Duration idle) {
      return proc(pid, ALL, vma(BASE, SIZE, DEFAULT, on(node, SIZE)), cold(pid, BASE, SIZE, idle));
    }

    C coldOn(int pid, int node, MemPolicy policy) {
      return proc(
          pid,
          ALL,
          vma(BASE, SIZE, policy, on(node, SIZE)),
          cold(pid, BASE, SIZE, Duration.ofMinutes(10)));
    }

    C warmOn(int pid, int node, double heat) {
      return proc(pid, ALL, vma(BASE, SIZE, DEFAULT, on(node, SIZE)), warm(pid, BASE, SIZE, heat));
    }

    C placement(int pid, AddressRange range, NodeBytes bytes) {
      placements.add(new RegionPlacement(pid, range, bytes, true));
      return this;
    }

    Case expect(List<String> moves, List<String> skips) {
      return new Case(
          name,
          topology,
          processes,
          regions,
          placements,
          config.roomMargin(roomMargin).build(),
          state,
          moves,
          skips.stream().sorted().toList());
    }
  }

  static MemPolicy pol(String s) {
    return MemPolicy.parse(s);
  }

  static PlannerState movedAgo(int pid, Direction dir, Duration ago) {
    Move m =
        new Move(
            pid,
            Fixtures.startTime(pid),
            List.of(AddressRange.ofSize(BASE, SIZE)),
            NodeSet.of(dir == Direction.DEMOTE ? 0 : 2),
            dir == Direction.DEMOTE ? 2 : 0,
            SIZE,
            false,
            dir,
            4096,
            true,
            false,
            false,
            new Reason(dir == Direction.DEMOTE ? ReasonCode.COLD_PRESSURE : ReasonCode.HOT, "t"));
    ResidencyHistory h =
        ResidencyHistory.empty()
            .withMoves(
                List.of(m),
                T0.minus(ago),
                T0.minus(Duration.ofDays(1)),
                Set.of(new ProcessId(pid, Fixtures.startTime(pid))));
    return new PlannerState(TokenBucket.UNSTARTED, TokenBucket.UNSTARTED, h, 0);
  }

  static Topology withNode0WithoutWatermarks(Topology t, long free0) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (NodeInfo n : t.nodes().values()) {
      nodes.add(n.id() == 0 ? Fixtures.withoutWatermarks(n.withFree(free0)) : n);
    }
    return new Topology(nodes, t.tiers(), t.tierSource());
  }

  static Stream<Case> cases() {
    long full = 100 * MiB; // below high (≈123 MiB) on an 8 GiB DRAM node
    Topology dramFull = box(full, full, 12 * GiB, 24 * GiB);
    Topology node0Pressure = box(50 * MiB, 6 * GiB, 12 * GiB, 24 * GiB);
    // compressed CXL node 3 at 87.5 % used, limit 80 %
    Topology compressedFull = box(6 * GiB, 6 * GiB, 100 * MiB, 4 * GiB);
    Map<Integer, Double> fill80 = Map.of(3, 0.8);
    return Stream.of(
        new C("promote: hot CXL data goes to the nearest DRAM node")
            .hotOn(1, 2, 0.8)
            .expect(List.of("1:2→0:HOT"), List.of()),
        new C("promote: nearest DRAM node full, the next nearest with room")
            .topology(box(full, 6 * GiB, 12 * GiB, 24 * GiB))
            .hotOn(1, 2, 0.8)
            .expect(List.of("1:2→1:HOT"), List.of()),
        new C("promote: every faster node below high watermark and nothing colder: WATERMARK")
            .topology(dramFull)
            .hotOn(1, 2, 0.8)
            .expect(List.of(), List.of("1:2:WATERMARK")),
        new C("promote: from each slower node the region's pages sit on")
            .proc(
                1,
                ALL,
                vma(BASE, SIZE, DEFAULT, on(2, 32 * MiB, 3, 32 * MiB)),
                hot(1, BASE, SIZE, 0.8))
            .expect(List.of("1:2→0:HOT", "1:3→0:HOT"), List.of()),
        new C("never same tier: hot data on DRAM node 1 stays though node 0 has room")
            .hotOn(1, 1, 0.9)
            .expect(List.of(), List.of()),
        new C("pressure: cold data leaves a node under low watermark, coldest first, until high")
            .topology(node0Pressure)
            .coldOn(1, 0, Duration.ofMinutes(10))
            .coldOn(2, 0, Duration.ofMinutes(5))
            .coldOn(3, 0, Duration.ofMinutes(3))
            .expect(List.of("1:0→2:COLD_PRESSURE", "2:0→2:COLD_PRESSURE"), List.of()),
        new C("pressure: none, so cold data stays")
            .coldOn(1, 0, Duration.ofMinutes(10))
            .expect(List.of(), List.of()),
        new C("pressure: warm data is not demoted")
            .topology(node0Pressure)
            .warmOn(1, 0, 0.1)
            .expect(List.of(), List.of()),
        new C("demote: next lower tier first (CXL, not compressed CXL)")
            .topology(node0Pressure)
            .coldOn(1, 0, DEFAULT)
            .expect(List.of("1:0→2:COLD_PRESSURE"), List.of()),
        new C("demote: bind skipping the middle tier goes to the lowest allowed")
            .topology(node0Pressure)
            .coldOn(1, 0, pol("bind:0,3"))
            .expect(List.of("1:0→3:COLD_PRESSURE"), List.of()),
        new C("proactive: data idle past the configured age goes down without pressure")
            .config(PlannerConfig.builder().proactiveDemotionAge(Duration.ofMinutes(10)))
            .coldOn(1, 0, Duration.ofMinutes(30))
            .coldOn(2, 0, Duration.ofMinutes(5))
            .expect(List.of("1:0→2:COLD_PROACTIVE"), List.of()),
        new C("exchange: the full node's coldest data makes room for hotter data below")
            .topology(box(130 * MiB, full, 12 * GiB, 24 * GiB))
            .hotOn(1, 2, 0.8)
            .coldOn(2, 0, Duration.ofMinutes(10))
            .expect(List.of("2:0→2:EXCHANGE", "1:2→0:HOT"), List.of()),
        new C("exchange: a node with less free memory than the hot data makes room too")
            // node 0: 200 MiB free, above its high watermark but below the 256 MiB hot range, so
            // the range is over the default 100 % fill limit: exchange must still run (2node VM,
            // scenario 1: the near-full fast node never took its hot buffer)
            .topology(box(200 * MiB, full, 12 * GiB, 24 * GiB))
            .proc(
                1,
                ALL,
                vma(BASE, 256 * MiB, DEFAULT, on(2, 256 * MiB)),
                hot(1, BASE, 256 * MiB, 0.8))
            .proc(
                2,
                ALL,
                vma(BASE, 256 * MiB, DEFAULT, on(0, 256 * MiB)),
                cold(2, BASE, 256 * MiB, Duration.ofMinutes(10)))
            .expect(List.of("2:0→2:EXCHANGE", "1:2→0:HOT"), List.of()),
        new C(
                "exchange: less free memory than the hot data and nothing colder: the part that"
                    + " fits above the high wmark moves, the rest waits")
            .topology(box(200 * MiB, full, 12 * GiB, 24 * GiB))
            .proc(
                1,
                ALL,
                vma(BASE, 256 * MiB, DEFAULT, on(2, 256 * MiB)),
                hot(1, BASE, 256 * MiB, 0.8))
            .expect(List.of("1:2→0:HOT"), List.of("1:2:WATERMARK")),
        new C(
                "exchange: no room at all (free under the high wmark) and nothing colder:"
                    + " FILL_LIMIT")
            .topology(box(100 * MiB, full, 12 * GiB, 24 * GiB))
            .proc(
                1,
                ALL,
                vma(BASE, 256 * MiB, DEFAULT, on(2, 256 * MiB)),
                hot(1, BASE, 256 * MiB, 0.8))
            .expect(List.of(), List.of("1:2:FILL_LIMIT")),
        new C("exchange: warm data clearly colder (heat ≤ candidate − gap) is demoted")
            .topology(box(130 * MiB, full, 12 * GiB, 24 * GiB))
            .hotOn(1, 2, 0.8)
            .warmOn(2, 0, 0.1)
            .expect(List.of("2:0→2:EXCHANGE", "1:2→0:HOT"), List.of()),
        new C(
                "exchange: warm data not clearly colder stays; of the hot data only what fits the"
                    + " room left moves")
            .topology(box(130 * MiB, full, 12 * GiB, 24 * GiB))
            .hotOn(1, 2, 0.6)
            .warmOn(2, 0, 0.3)
            .expect(List.of("1:2→0:HOT"), List.of("1:2:WATERMARK")),
        new C("exchange: off by config: only what fits the room left moves, nothing is demoted")
            .config(PlannerConfig.builder().exchange(false))
            .topology(box(130 * MiB, full, 12 * GiB, 24 * GiB))
            .hotOn(1, 2, 0.8)
            .coldOn(2, 0, Duration.ofMinutes(10))
            .expect(List.of("1:2→0:HOT"), List.of("1:2:WATERMARK")),
        new C("policy: bind promotes only within its nodes")
            .hotOn(1, 2, ALL, pol("bind:1-2"))
            .expect(List.of("1:2→1:HOT"), List.of()),
        new C("policy: bind to slow nodes only holds hot data back: POLICY")
            .hotOn(1, 2, ALL, pol("bind:2-3"))
            .expect(List.of(), List.of("1:2:POLICY")),
        new C("policy: prefer (many) promotes only into its nodes (seed 002)")
            .hotOn(1, 3, ALL, pol("prefer (many):1-2"))
            .expect(List.of("1:3→1:HOT"), List.of()),
        new C("policy: prefer (many) does not hold back demotion")
            .topology(node0Pressure)
            .coldOn(1, 0, pol("prefer (many):0"))
            .expect(List.of("1:0→2:COLD_PRESSURE"), List.of()),
        new C("policy: prefer respected promotes only into the preferred node")
            .hotOn(1, 2, ALL, pol("prefer:1"))
            .expect(List.of("1:2→1:HOT"), List.of()),
        new C("policy: prefer ignored when configured")
            .config(PlannerConfig.builder().preferred(PlannerConfig.PreferredPolicy.IGNORE))
            .hotOn(1, 2, ALL, pol("prefer:1"))
            .expect(List.of("1:2→0:HOT"), List.of()),
        new C("policy: local is free")
            .hotOn(1, 2, ALL, pol("local"))
            .expect(List.of("1:2→0:HOT"), List.of()),
        new C("policy: interleave left alone")
            .hotOn(1, 2, ALL, pol("interleave:0-2"))
            .expect(List.of(), List.of("1:2:INTERLEAVE")),
        new C("policy: weighted interleave left alone")
            .hotOn(1, 2, ALL, pol("weighted interleave:0-2"))
            .expect(List.of(), List.of("1:2:INTERLEAVE")),
        new C("policy: interleave moved within its nodes when configured")
            .config(PlannerConfig.builder().moveInterleaved(true))
            .hotOn(1, 2, ALL, pol("interleave:1-2"))
            .expect(List.of("1:2→1:HOT"), List.of()),
        new C("cpuset: no faster node in cpuset.mems.effective: CPUSET")
            .hotOn(1, 2, NodeSet.of(2, 3), DEFAULT)
            .expect(List.of(), List.of("1:2:CPUSET")),
        new C("cpuset ∩ bind: the one faster node both allow")
            .hotOn(1, 2, NodeSet.of(1, 2, 3), pol("bind:0-2"))
            .expect(List.of("1:2→1:HOT"), List.of()),
        new C("cpuset: demotion only to lower nodes in the cpuset")
            .topology(node0Pressure)
            .proc(
                1,
                NodeSet.of(0, 1),
                vma(BASE, SIZE, DEFAULT, on(0, SIZE)),
                cold(1, BASE, SIZE, Duration.ofMinutes(10)))
            .expect(List.of(), List.of("1:0:CPUSET")),
        new C("fill limit: demotion into a compressed node over its limit is refused")
            .config(PlannerConfig.builder().maxFill(fill80))
            .topology(compressedFull)
            .coldOn(1, 2, Duration.ofMinutes(10))
            .expect(List.of(), List.of("1:2:FILL_LIMIT")),
        new C("fill limit: hot data on a node over its limit is promoted first")
            .config(
                PlannerConfig.builder()
                    .maxFill(fill80)
                    .promoteBytesPerSecond(64 * MiB)
                    .budgetBurst(Duration.ofSeconds(1)))
            .topology(compressedFull)
            .hotOn(2, 2, 0.9)
            .hotOn(1, 3, 0.5)
            .expect(List.of("1:3→0:HOT_OVER_FILL_LIMIT"), List.of("2:2:BUDGET")),
        new C("budget: the aligned prefix that fits moves, the rest waits")
            .config(
                PlannerConfig.builder()
                    .promoteBytesPerSecond(32 * MiB)
                    .budgetBurst(Duration.ofSeconds(1)))
            .hotOn(1, 2, 0.8)
            .expect(List.of("1:2→0:HOT"), List.of("1:2:BUDGET")),
        new C("budget: the per-cycle cap binds both directions")
            .config(PlannerConfig.builder().maxBytesPerCycle(tierd.model.DataSize.ofMiB(16)))
            .hotOn(1, 2, 0.8)
            .expect(List.of("1:2→0:HOT"), List.of("1:2:CYCLE_CAP")),
        new C("residency: a range that moved 30 s ago stays")
            .state(movedAgo(1, Direction.DEMOTE, Duration.ofSeconds(30)))
            .hotOn(1, 2, 0.8)
            .expect(List.of(), List.of("1:2:RESIDENCY")),
        new C("residency: after the minimum residency the reversal moves")
            .state(movedAgo(1, Direction.DEMOTE, Duration.ofMinutes(10)))
            .hotOn(1, 2, 0.8)
            .expect(List.of("1:2→0:HOT"), List.of()),
        new C("shared: mapmax > 1 needs MOVE_ALL, skipped by default")
            .proc(
                1,
                ALL,
                vma(BASE, SIZE, DEFAULT, on(2, SIZE), "rw-p", 3, false, 4096),
                hot(1, BASE, SIZE, 0.8))
            .expect(List.of(), List.of("1:2:SHARED")),
        new C("shared: MAP_SHARED moved with MOVE_ALL when configured")
            .config(PlannerConfig.builder().moveShared(true))
            .proc(
                1,
                ALL,
                vma(BASE, SIZE, DEFAULT, on(2, SIZE), "rw-s", 1, false, 4096),
                hot(1, BASE, SIZE, 0.8))
            .expect(List.of("1:2→0:HOT"), List.of()),
        new C("hugetlb: skipped by default")
            .proc(
                1,
                ALL,
                vma(BASE, SIZE, DEFAULT, on(2, SIZE), "rw-p", 1, true, 2 * MiB),
                hot(1, BASE, SIZE, 0.8))
            .expect(List.of(), List.of("1:2:HUGETLB")),
        new C("hugetlb: moved in whole huge pages when configured")
            .config(PlannerConfig.builder().hugetlb(PlannerConfig.HugetlbMode.MOVE))
            .proc(
                1,
                ALL,
                vma(BASE, SIZE, DEFAULT, on(2, SIZE), "rw-p", 1, true, 2 * MiB),
                hot(1, BASE, SIZE, 0.8))
            .expect(List.of("1:2→0:HOT"), List.of()),
        new C("thp: a hot range smaller than one folio once aligned: ALIGNMENT")
            .proc(
                1,
                ALL,
                vma(BASE, SIZE, DEFAULT, on(2, SIZE)),
                hot(1, BASE + 2 * MiB + 4 * KiB, 512 * KiB, 0.8))
            .expect(List.of(), List.of("1:2:ALIGNMENT")),
        new C("stale: a region of a process that restarted is ignored")
            .proc(
                1,
                ALL,
                vma(BASE, SIZE, DEFAULT, on(2, SIZE)),
                new ScoredRegion(
                    1,
                    1,
                    AddressRange.ofSize(BASE, SIZE),
                    0.8,
                    tierd.scoring.HeatClass.HOT,
                    3,
                    Duration.ZERO))
            .expect(List.of(), List.of()),
        new C("no tier: data on a node the topology does not know: NO_TARGET")
            .proc(1, ALL, vma(BASE, SIZE, DEFAULT, on(7, SIZE)), hot(1, BASE, SIZE, 0.8))
            .expect(List.of(), List.of("1:-1:NO_TARGET")),
        new C("placement: an exact placement overrides the VMA's estimate")
            .proc(1, ALL, vma(BASE, SIZE, DEFAULT, on(0, SIZE)), hot(1, BASE, SIZE, 0.8))
            .placement(1, AddressRange.ofSize(BASE, SIZE), NodeBytes.of(2, SIZE))
            .expect(List.of("1:2→0:HOT"), List.of()),
        new C("watermarks: a node without zoneinfo watermarks keeps 2 % free (fallback high)")
            .topology(withNode0WithoutWatermarks(roomyBox(), 200 * MiB))
            .hotOn(1, 2, 0.8)
            .expect(List.of("1:2→1:HOT"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rule(Case c) {
    PlanResult r =
        new Planner(c.config())
            .plan(
                new PlanInput(
                    T0,
                    c.topology(),
                    c.processes(),
                    c.regions(),
                    Fixtures.thresholds(),
                    c.placements()),
                c.state());
    MigrationPlan plan = r.plan();
    List<String> moves =
        plan.moves().stream()
            .map(m -> m.pid() + ":" + m.fromNodes() + "→" + m.toNode() + ":" + m.reason().code())
            .toList();
    List<String> skips =
        plan.skipped().stream()
            .map(s -> s.pid() + ":" + s.fromNode() + ":" + s.reason())
            .sorted()
            .toList();
    assertThat(moves).as("moves of '%s'\n%s", c.name(), explain(plan)).isEqualTo(c.moves());
    assertThat(skips).as("skips of '%s'\n%s", c.name(), explain(plan)).isEqualTo(c.skips());
    for (Move m : plan.moves()) {
      assertThat(m.reason().text()).as("reason text").isNotBlank();
    }
  }

  static String explain(MigrationPlan plan) {
    return String.join("\n", Explain.lines(plan));
  }
}
