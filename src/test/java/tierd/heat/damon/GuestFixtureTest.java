package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.Fixtures;
import tierd.model.AddressRange;

/**
 * The DAMON tree captured from the 6.12 guest (src/test/resources/fixtures/vm-2node, see its
 * meta/CAPTURE.txt): one vaddr kdamond with a stat scheme on the workload, after 3 s of monitoring
 * and update_schemes_tried_regions. Read-only: the production readers on a real tree.
 */
class GuestFixtureTest {

  final DamonFs fs = new SysfsDamonFs(Fixtures.root("vm-2node"));

  @Test
  void statusSeesTheCapturedKdamondAsForeign() {
    DamonStatus s = DamonStatus.read(fs);
    assertThat(s.nrKdamonds()).isEqualTo(1);
    DamonStatus.Kdamond k = s.kdamonds().get(0);
    assertThat(k.on()).isTrue();
    assertThat(k.kthreadPid()).isPositive();
    assertThat(k.availOperations()).containsExactly("vaddr", "fvaddr", "paddr");
    assertThat(k.targetPids()).containsExactly(4242);
    assertThat(s.busyReason()).contains("DAMON busy (foreign kdamond 0 running vaddr/stat)");
  }

  @Test
  void triedRegionsShowTheHotBufferHotterThanTheColdOne() throws Exception {
    List<TriedRegion> regions =
        TriedRegion.readDir(fs, "kdamonds/0/contexts/0/schemes/0/tried_regions", 1);
    assertThat(regions).hasSizeGreaterThan(3);
    assertThat(regions).isSortedAccordingTo((a, b) -> a.range().compareTo(b.range()));

    JsonNode report =
        new ObjectMapper()
            .readTree(
                Fixtures.text("fixtures/vm-2node/meta/workload-report.jsonl")
                    .lines()
                    .findFirst()
                    .orElseThrow());
    double hot = Double.NaN;
    double cold = Double.NaN;
    for (JsonNode b : report.get("buffers")) {
      AddressRange r = new AddressRange(b.get("start").asLong(), b.get("end").asLong());
      double w = weightedAccesses(regions, r);
      if (b.get("name").asText().equals("hot")) {
        hot = w;
      } else if (b.get("name").asText().equals("cold")) {
        cold = w;
      }
    }
    // 500 ms aggregation / 5 ms sampling = 100 checks. DAMON's region edges do not fall exactly on
    // the buffers' edges, so a sliver of a hot region reaches into the cold buffer.
    assertThat(hot).isGreaterThan(10.0);
    assertThat(cold).isLessThan(hot / 4);
  }

  /** Byte-weighted mean nr_accesses of the regions over {@code r}. */
  static double weightedAccesses(List<TriedRegion> regions, AddressRange r) {
    double sum = 0;
    long bytes = 0;
    for (TriedRegion t : regions) {
      long o = t.range().overlapBytes(r);
      sum += o * (double) t.nrAccesses();
      bytes += o;
    }
    return bytes == 0 ? Double.NaN : sum / bytes;
  }
}
