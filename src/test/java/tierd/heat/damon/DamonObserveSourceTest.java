package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.Fixtures;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;
import tierd.process.ProcessScanner;

/** Reading someone else's DAMON results, over the tree captured in the 2-node guest. */
class DamonObserveSourceTest {

  @Test
  void readsTheForeignStatSchemeForAManagedPid() throws Exception {
    var root = Fixtures.root("vm-2node");
    List<ManagedProcess> procs = new ProcessScanner(root).scan(ProcessFilter.all(-1)).processes();
    DamonObserveSource s = new DamonObserveSource(new ReadOnlyDamonFs(root), () -> 0);
    s.update(procs);
    List<RegionSample> samples = s.collect();
    assertThat(samples).isNotEmpty().allSatisfy(r -> assertThat(r.pid()).isEqualTo(4242));
    assertThat(samples.get(0).maxAccesses()).isEqualTo(100); // 500 ms aggregation / 5 ms sampling
    assertThat(samples.get(0).window()).isEqualTo(Duration.ofMillis(500));
    assertThat(samples.get(0).source()).isEqualTo("damon-observe");

    JsonNode report =
        new ObjectMapper()
            .readTree(
                Fixtures.text("fixtures/vm-2node/meta/workload-report.jsonl")
                    .lines()
                    .findFirst()
                    .orElseThrow());
    double hot = 0;
    double cold = 0;
    for (JsonNode b : report.get("buffers")) {
      AddressRange r = new AddressRange(b.get("start").asLong(), b.get("end").asLong());
      double f = weighted(samples, r);
      if (b.get("name").asText().equals("hot")) {
        hot = f;
      } else if (b.get("name").asText().equals("cold")) {
        cold = f;
      }
    }
    assertThat(hot).isGreaterThan(0.1).isGreaterThan(4 * cold);
  }

  @Test
  void ignoresPidsItDoesNotManage() {
    var root = Fixtures.root("vm-2node");
    DamonObserveSource s = new DamonObserveSource(new ReadOnlyDamonFs(root), () -> 0);
    s.update(List.of());
    assertThat(s.collect()).isEmpty();
  }

  private static double weighted(List<RegionSample> samples, AddressRange r) {
    double sum = 0;
    long bytes = 0;
    for (RegionSample s : samples) {
      long o = s.range().overlapBytes(r);
      sum += o * s.accessFraction();
      bytes += o;
    }
    return bytes == 0 ? 0 : sum / bytes;
  }
}
