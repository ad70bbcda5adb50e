package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.heat.HeatFixtures.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;
import tierd.heat.HeatFixtures;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;

/** clear_refs + smaps against a fixture /proc whose smaps the test replaces between cycles. */
class ClearRefsSourceTest {

  static final AddressRange HOT = new AddressRange(0x7f5d6566d000L, 0x7f5d65e6d000L);
  static final AddressRange COLD = new AddressRange(0x7f5d65e6e000L, 0x7f5d6666e000L);

  @TempDir Path dir;
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  ClearRefsSource source;

  @BeforeEach
  void setUp() {
    HeatFixtures.file(dir.resolve("proc/100/smaps"), Fixtures.text("heat/host-smaps/smaps"));
    HeatFixtures.file(dir.resolve("proc/100/clear_refs"), "");
    source = new ClearRefsSource(KernelRoot.under(dir), now::get);
    source.update(List.of(process(100)));
  }

  @Test
  void firstCollectOnlyClearsThenEachCycleMeasuresItsWindow() throws Exception {
    assertThat(source.collect()).isEmpty();
    assertThat(Files.readString(dir.resolve("proc/100/clear_refs"))).isEqualTo("1");

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    List<RegionSample> s = source.collect();
    RegionSample hot = find(s, HOT);
    RegionSample cold = find(s, COLD);
    assertThat(hot.nrAccesses()).isEqualTo(2039); // 8156 kB / 4 kB
    assertThat(hot.maxAccesses()).isEqualTo(2048);
    assertThat(hot.window()).isEqualTo(Duration.ofSeconds(2));
    assertThat(hot.source()).isEqualTo("clear-refs");
    assertThat(cold.nrAccesses()).isZero();
    assertThat(hot.accessFraction()).isGreaterThan(0.9);
    assertThat(s).noneMatch(r -> r.maxAccesses() == 0);

    now.addAndGet(Duration.ofSeconds(3).toNanos());
    s = source.collect();
    assertThat(find(s, HOT).window()).isEqualTo(Duration.ofSeconds(3));
    assertThat(find(s, HOT).age()).isEqualTo(Duration.ofSeconds(3));
    assertThat(find(s, COLD).age()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void specialMappingsAreSkipped() {
    source.collect();
    now.addAndGet(1);
    assertThat(source.collect())
        .extracting(RegionSample::range)
        .doesNotContain(new AddressRange(0x7f5d674fe000L, 0x7f5d67500000L)) // [vdso], resident
        .isNotEmpty();
  }

  @Test
  void aProcessThatExitsIsForgotten() throws Exception {
    source.collect();
    Files.delete(dir.resolve("proc/100/smaps"));
    Files.delete(dir.resolve("proc/100/clear_refs"));
    now.addAndGet(1);
    assertThat(source.collect()).isEmpty();
  }

  static RegionSample find(List<RegionSample> s, AddressRange r) {
    return s.stream().filter(x -> x.range().equals(r)).findFirst().orElseThrow();
  }

  @Test
  void aTunedWindowShorterThanTheCycleClearsWaitsAndReadsInOneCollect() throws Exception {
    List<Long> slept = new java.util.ArrayList<>();
    TunedWindow window =
        new TunedWindow(
            new tierd.heat.IntervalTuner(
                0.04, Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(30)),
            now::get,
            ms -> {
              slept.add(ms);
              now.addAndGet(ms * 1_000_000);
            });
    source = new ClearRefsSource(KernelRoot.under(dir), now::get, window);
    source.update(List.of(process(100)));
    assertThat(source.collect()).isEmpty(); // the first collect only clears
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    Files.writeString(dir.resolve("proc/100/clear_refs"), "");
    List<RegionSample> s = source.collect(); // 0.5 s window < half the 5 s cycle
    assertThat(Files.readString(dir.resolve("proc/100/clear_refs"))).isEqualTo("1");
    assertThat(slept).containsExactly(500L);
    RegionSample hot = find(s, HOT);
    assertThat(hot.window()).isEqualTo(Duration.ofMillis(500));
    assertThat(hot.checkInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(source.intervals().orElseThrow().check()).isEqualTo(Duration.ofMillis(500));
  }
}
