package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * Invariants of every plan over thousands of seeded random worlds ({@link RandomWorld}): 1–4 tiers,
 * random cpusets, VMA policies, heat, placements, budgets and residency. A failure names its seed;
 * {@code RandomWorld.generate(seed, ideal)} rebuilds the world.
 */
class PlannerPropertiesTest {

  static final int WORLDS = 3000;
  static final int IDEAL_WORLDS = 2000;

  @Test
  void invariantsHoldOverRandomWorlds() {
    List<String> failures = new ArrayList<>();
    int moves = 0;
    int skips = 0;
    for (long seed = 1; seed <= WORLDS && failures.size() < 5; seed++) {
      try {
        RandomWorld w = RandomWorld.generate(seed, false);
        MigrationPlan plan = check(w);
        moves += plan.moves().size();
        skips += plan.skipped().size();
      } catch (AssertionError | RuntimeException e) {
        failures.add("seed " + seed + ": " + e);
      }
    }
    assertThat(failures).as("failing seeds (RandomWorld.generate(seed, false))").isEmpty();
    // the worlds must exercise the planner, not just pass vacuously
    assertThat(moves).as("moves over %d worlds", WORLDS).isGreaterThan(WORLDS);
    assertThat(skips).as("skips over %d worlds", WORLDS).isGreaterThan(WORLDS);
  }

  @Test
  void aPlanOverAnIdealPlacementHasNoMove() {
    List<String> failures = new ArrayList<>();
    for (long seed = 1; seed <= IDEAL_WORLDS && failures.size() < 5; seed++) {
      try {
        RandomWorld w = RandomWorld.generate(seed, true);
        MigrationPlan plan = check(w);
        if (!plan.moves().isEmpty()) {
          failures.add(
              "seed "
                  + seed
                  + ": moves over an ideal placement:\n"
                  + String.join("\n", Explain.lines(plan)));
        }
      } catch (AssertionError | RuntimeException e) {
        failures.add("seed " + seed + ": " + e);
      }
    }
    assertThat(failures).as("failing seeds (RandomWorld.generate(seed, true))").isEmpty();
  }

  /** Plans the world twice and checks every invariant; returns the plan. */
  static MigrationPlan check(RandomWorld w) {
    Planner planner = new Planner(w.config);
    PlanResult r = planner.plan(w.input(), w.state);
    try {
      checkInvariants(w, planner, r);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "\n" + String.join("\n", Explain.lines(r.plan())), e);
    }
    return r.plan();
  }

  private static void checkInvariants(RandomWorld w, Planner planner, PlanResult r) {
    PlanResult again = planner.plan(w.input(), w.state);
    MigrationPlan plan = r.plan();
    String ctx = "";
    assertThat(again.plan()).as("deterministic" + ctx).isEqualTo(plan);

    Topology topo = w.topology;
    PlannerConfig cfg = w.config;
    Map<Integer, ManagedProcess> procs = new HashMap<>();
    for (ManagedProcess p : w.processes) {
      procs.put(p.pid(), p);
    }
    long promoted = 0;
    long demoted = 0;
    Map<Integer, Long> delta = new HashMap<>();
    Map<Integer, Boolean> received = new HashMap<>();
    int pingPongs = 0;
    for (Move m : plan.moves()) {
      ManagedProcess p = procs.get(m.pid());
      assertThat(p).as(() -> "process of " + m).isNotNull();
      assertThat(m.startTimeTicks()).as(() -> "start time " + m).isEqualTo(p.startTimeTicks());
      assertThat(m.ranges()).as(() -> "one range " + m).hasSize(1);
      AddressRange range = m.ranges().get(0);
      Vma vma = vmaOf(p, range);
      assertThat(vma).as(() -> "move within one VMA " + m).isNotNull();
      assertThat(range.start() % m.pageBytes()).as(() -> "page aligned " + m).isZero();
      assertThat(range.end() % m.pageBytes()).as(() -> "page aligned " + m).isZero();
      assertThat(m.bytes()).as(() -> "bytes " + m).isPositive();

      // allowed set: cpuset ∩ policy
      boolean up = m.direction() == Direction.PROMOTE;
      assertThat(p.allowedNodes().contains(m.toNode())).as(() -> "cpuset " + m).isTrue();
      assertThat(RandomWorld.allowed(cfg, p.allowedNodes(), vma.policy(), up).contains(m.toNode()))
          .as(() -> "policy " + vma.policy() + " " + m)
          .isTrue();
      MemPolicy.Mode mode = vma.policy().mode();
      if (!cfg.moveInterleaved()) {
        assertThat(mode)
            .as(() -> "interleaved VMA moved " + m)
            .isNotIn(MemPolicy.Mode.INTERLEAVE, MemPolicy.Mode.WEIGHTED_INTERLEAVE);
      }
      if (vma.shared()) {
        assertThat(cfg.moveShared() && m.moveAll()).as(() -> "shared " + m).isTrue();
      }
      if (vma.hugetlb()) {
        assertThat(cfg.hugetlb())
            .as(() -> "hugetlb " + m)
            .isEqualTo(PlannerConfig.HugetlbMode.MOVE);
      }

      // tiers: never within one, always the right way
      int to = topo.rankOf(m.toNode());
      for (int from : m.fromNodes().toArray()) {
        int fr = topo.rankOf(from);
        assertThat(fr).as(() -> "from-node tier " + m).isNotEqualTo(to);
        if (up) {
          assertThat(to).as(() -> "promotion goes up " + m).isLessThan(fr);
        } else {
          assertThat(to).as(() -> "demotion goes down " + m).isGreaterThan(fr);
        }
        delta.merge(from, m.bytes(), Long::sum);
      }
      delta.merge(m.toNode(), -m.bytes(), Long::sum);
      received.put(m.toNode(), true);

      // the class of the data behind the move
      List<HeatClass> classes = classesOver(w.regions, m.pid(), range);
      if (up) {
        assertThat(classes).as(() -> "promoted data is HOT " + m).contains(HeatClass.HOT);
      } else if (m.reason().code() == ReasonCode.TENANT_CEILING) {
        // a tenant over its ceiling gives its coldest data, whatever its class (issue 17)
        assertThat(classes).as(() -> "ceiling demotion over scored data " + m).isNotEmpty();
      } else if (m.reason().code() == ReasonCode.EXCHANGE) {
        assertThat(classes).as(() -> "exchanged data is not only HOT " + m).isNotEmpty();
        assertThat(classes.stream().allMatch(c -> c == HeatClass.HOT))
            .as(() -> "exchange victim " + m)
            .isFalse();
      } else {
        assertThat(classes).as(() -> "demoted data is COLD " + m).contains(HeatClass.COLD);
      }

      // residency: nothing moves back, or onward from the node it moved to, within the minimum
      // residency (the rest of a range may follow the same way)
      var last =
          w.state
              .residency()
              .lastMove(
                  new ProcessId(m.pid(), m.startTimeTicks()),
                  range,
                  e -> e.direction() != m.direction() || m.fromNodes().contains(e.toNode()));
      if (last.isPresent() && !cfg.minResidency().isZero()) {
        assertThat(last.get().movedAt().isAfter(w.now.minus(cfg.minResidency())))
            .as(() -> "moved again within minimum residency " + m)
            .isFalse();
      }
      if (m.pingPong()) {
        pingPongs++;
      }
      if (up) {
        promoted += m.bytes();
      } else {
        demoted += m.bytes();
      }
    }

    // room is made only on a node that something is promoted into: an exchange victim never goes
    // down for a promotion that then does not land
    java.util.Set<Integer> promotedInto = new java.util.HashSet<>();
    plan.moves().stream()
        .filter(m -> m.direction() == Direction.PROMOTE)
        .forEach(m -> promotedInto.add(m.toNode()));
    for (Move m : plan.moves()) {
      if (m.reason().code() == ReasonCode.EXCHANGE) {
        assertThat(promotedInto)
            .as(() -> "room made on a node nothing is promoted into: " + m)
            .containsAll(java.util.Arrays.stream(m.fromNodes().toArray()).boxed().toList());
      }
    }

    // budgets and the cycle cap
    long promoteTokens =
        w.state
            .promoteBudget()
            .refill(w.now, cfg.promoteBytesPerSecond(), cfg.promoteBurstBytes())
            .tokensBytes();
    long demoteTokens =
        w.state
            .demoteBudget()
            .refill(w.now, cfg.demoteBytesPerSecond(), cfg.demoteBurstBytes())
            .tokensBytes();
    assertThat(plan.summary().promoteTokensBytes())
        .as("promote tokens" + ctx)
        .isEqualTo(promoteTokens);
    assertThat(promoted).as("promotion budget" + ctx).isLessThanOrEqualTo(promoteTokens);
    assertThat(demoted).as("demotion budget" + ctx).isLessThanOrEqualTo(demoteTokens);
    assertThat(promoted + demoted)
        .as("cycle cap" + ctx)
        .isLessThanOrEqualTo(cfg.maxBytesPerCycle().bytes());
    assertThat(r.next().promoteBudget().tokensBytes()).isEqualTo(promoteTokens - promoted);
    assertThat(r.next().demoteBudget().tokensBytes()).isEqualTo(demoteTokens - demoted);

    // fill limits and watermarks of every node that received data
    for (NodeInfo n : topo.nodes().values()) {
      if (!received.containsKey(n.id())) {
        continue;
      }
      long freeAfter = n.freeBytes() + delta.getOrDefault(n.id(), 0L);
      long high = n.watermarks().map(NodeInfo.Watermarks::highBytes).orElse(n.totalBytes() / 50);
      long limit = (long) (n.totalBytes() * cfg.maxFillOf(n.id()));
      assertThat(freeAfter)
          .as("node %d ends above high watermark%s", n.id(), ctx)
          .isGreaterThanOrEqualTo(high);
      assertThat(n.totalBytes() - freeAfter)
          .as("node %d ends within its fill limit%s", n.id(), ctx)
          .isLessThanOrEqualTo(limit);
    }

    // bookkeeping
    assertThat(plan.summary().pingPongs()).isEqualTo(pingPongs);
    assertThat(r.next().pingPongsTotal()).isEqualTo(w.state.pingPongsTotal() + pingPongs);
    long counted = plan.skipCounts().values().stream().mapToLong(Long::longValue).sum();
    assertThat(counted)
        .as("skips counted" + ctx)
        .isEqualTo(plan.skipped().size() + plan.skipsNotListed());
    assertThat(plan.skipped().size()).isLessThanOrEqualTo(cfg.maxSkipsListed());
  }

  private static Vma vmaOf(ManagedProcess p, AddressRange r) {
    for (Vma v : p.vmas()) {
      if (v.range().contains(r)) {
        return v;
      }
    }
    return null;
  }

  private static List<HeatClass> classesOver(List<ScoredRegion> regions, int pid, AddressRange r) {
    List<HeatClass> out = new ArrayList<>();
    for (ScoredRegion s : regions) {
      if (s.pid() == pid && s.range().overlaps(r)) {
        out.add(s.heatClass());
      }
    }
    return out;
  }
}
