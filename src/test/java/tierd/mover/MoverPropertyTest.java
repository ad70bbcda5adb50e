package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.fake.FakeVma;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;

/**
 * Seeded random scenarios over the fake kernel: nodes of random capacity, processes with random
 * cpusets and VMAs (base pages and THP), pages in random places, busy and failing pages, stale
 * process refs, random requests. The invariants must hold for every seed.
 */
class MoverPropertyTest {

  static final long PAGE = 4096;
  static final long THP = 2L << 20;

  static long[] seeds() {
    long[] s = new long[40];
    for (int i = 0; i < s.length; i++) {
      s[i] = 0x5eed_0000L + i;
    }
    return s;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void invariantsHold(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int nodeCount = 2 + rnd.nextInt(3);
    FakeKernel k = new FakeKernel().cost(2_000, 30, 0.5 * rnd.nextInt(3));
    for (int n = 0; n < nodeCount; n++) {
      k.addNode(n, (rnd.nextBoolean() ? 4L : 64L) << 20);
    }
    List<MoveRequest> requests = new ArrayList<>();
    int procs = 1 + rnd.nextInt(4);
    for (int pi = 0; pi < procs; pi++) {
      NodeSet mems = NodeSet.range(0, nodeCount);
      if (rnd.nextInt(4) == 0) {
        mems = mems.minus(NodeSet.of(rnd.nextInt(nodeCount)));
      }
      FakeProcess p = k.spawn(100 + pi, 1000 + pi, mems);
      int vmas = 1 + rnd.nextInt(3);
      for (int vi = 0; vi < vmas; vi++) {
        boolean thp = rnd.nextInt(3) == 0;
        long unit = thp ? THP : PAGE;
        long start = 0x7f00_0000_0000L + ((long) vi << 32);
        int units = 1 + rnd.nextInt(thp ? 6 : 600);
        FakeVma v = thp ? p.mapThp(start, units * unit) : p.mapAnon(start, units * unit);
        for (int u = 0; u < units; u++) {
          long a = start + u * unit;
          int r = rnd.nextInt(10);
          int node = rnd.nextInt(nodeCount);
          if (r < 7 && k.freeBytes(node) >= unit) {
            v.populate(a, unit, node);
            if (rnd.nextInt(20) == 0) {
              v.busy(a, 1 + rnd.nextInt(2));
            }
            if (rnd.nextInt(20) == 0) {
              v.failMigration(a, 1 + rnd.nextInt(2));
            }
            if (rnd.nextInt(30) == 0) {
              v.share(a);
            }
          } else if (r == 7 && !thp) {
            v.readOnlyTouch(a, unit);
          }
        }
        int reqs = 1 + rnd.nextInt(2);
        for (int q = 0; q < reqs; q++) {
          int target = rnd.nextInt(nodeCount);
          NodeSet from = NodeSet.range(0, nodeCount).minus(NodeSet.of(target));
          if (from.size() > 1 && rnd.nextBoolean()) {
            from = from.minus(NodeSet.of(from.first()));
          }
          long off = rnd.nextInt(units) * unit;
          long len = (1 + rnd.nextInt(units + 2)) * unit; // may run past the VMA: EFAULT
          long startTime = rnd.nextInt(15) == 0 ? 999_999 : p.startTimeTicks();
          requests.add(
              new MoveRequest(
                  new ProcessId(p.pid(), startTime),
                  List.of(AddressRange.ofSize(start + off, len)),
                  from,
                  target,
                  unit));
        }
      }
    }
    if (rnd.nextInt(5) == 0) {
      int victim = 100 + rnd.nextInt(procs);
      int afterCalls = 1 + rnd.nextInt(6);
      int[] seen = {0};
      k.beforeCall(
          kernel -> {
            if (++seen[0] == afterCalls && kernel.startTimeTicks(victim).isPresent()) {
              kernel.exit(victim);
            }
          });
    }
    MoverConfig config =
        MoverConfig.DEFAULT.withBatchPages(1 + rnd.nextInt(64), 64 + rnd.nextInt(4000));

    MoveReport r = new MovePagesMover(k, k, k.ticker(), config).move(requests);

    for (int i = 0; i < requests.size(); i++) {
      assertThat(r.perRequest().get(i).totalPages())
          .as("request %d: every page has one outcome", i)
          .isEqualTo(requests.get(i).pages());
    }
    for (FakeKernel.Migration m : k.migrations()) {
      assertThat(requests)
          .as("migration %s was asked for, from a source node", m)
          .anyMatch(
              q ->
                  q.process().pid() == m.pid()
                      && q.targetNode() == m.toNode()
                      && q.fromNodes().contains(m.fromNode())
                      && q.ranges().stream().anyMatch(rg -> rg.contains(m.address())));
    }
    assertThat(r.total().pages(Outcome.MOVED)).isEqualTo(k.migrations().size());
    assertThat(r.total().bytesMoved())
        .isEqualTo(k.migrations().stream().mapToLong(FakeKernel.Migration::bytes).sum());
    for (int i = 0; i < requests.size(); i++) {
      MoveRequest q = requests.get(i);
      if (q.process().startTimeTicks() == 999_999) {
        assertThat(r.perRequest().get(i).asMap()).containsOnlyKeys(Outcome.ESRCH);
      }
    }
    // 0.5-1 ns per byte: a 2 MiB folio costs at most ~2 ms, so no call may pass the bound.
    assertThat(k.calls()).allMatch(c -> c.nanos() <= Duration.ofMillis(20).toNanos());
  }
}
