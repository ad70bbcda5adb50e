package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;

/**
 * The tracepoint path ({@link AggregatedEvent}, {@link TracedAggregations}, {@link DamonTracePipe})
 * over {@code trace_pipe} captured from the 6.12 guest (test resources heat/damon-trace-6.12, see
 * its meta file): a vaddr kdamond with two targets, 100 ms aggregations.
 */
class DamonTraceTest {

  private static final Path FIXTURE = Path.of("src/test/resources/heat/damon-trace-6.12");

  private static List<String> capturedLines() throws IOException {
    return Files.readAllLines(FIXTURE.resolve("trace_pipe"));
  }

  @Test
  void theCapturedFormatIsTheOneParsed() throws IOException {
    assertThat(Files.readString(FIXTURE.resolve("format")))
        .contains("print fmt: \"target_id=%lu nr_regions=%u %lu-%lu: %u %u\"");
  }

  @Test
  void parsesALineOfTheCapture() throws IOException {
    AggregatedEvent e = AggregatedEvent.parse(capturedLines().get(7), 1).orElseThrow();
    // kdamond.0-186 [000] .N...  9.038118: target_id=0 nr_regions=9
    // 140457132126208-140457150513152: 15 0
    assertThat(e.monoNanos()).isEqualTo(9_038_118_000L);
    assertThat(e.targetIndex()).isZero();
    assertThat(e.targetRegions()).isEqualTo(9);
    assertThat(e.region())
        .isEqualTo(new TriedRegion(new AddressRange(140457132126208L, 140457150513152L), 15, 0));
  }

  @Test
  void addressUnitsMultiplyTheBounds() {
    String line =
        "  kdamond.0-7  [001] .....  12.5: damon_aggregated: target_id=0 nr_regions=3 4-8: 2 7";
    AggregatedEvent e = AggregatedEvent.parse(line, 4096).orElseThrow();
    assertThat(e.range()).isEqualTo(new AddressRange(4 * 4096L, 8 * 4096L));
    assertThat(e.monoNanos()).isEqualTo(12_500_000_000L);
  }

  @Test
  void kernelsWithoutAgeReadAgeZero() {
    String line =
        "kdamond.0-7 [000] .... 3.000001: damon_aggregated: target_id=1 nr_regions=5 4096-8192: 9";
    AggregatedEvent e = AggregatedEvent.parse(line, 1).orElseThrow();
    assertThat(e.region().age()).isZero();
    assertThat(e.region().nrAccesses()).isEqualTo(9);
    assertThat(e.targetIndex()).isEqualTo(1);
  }

  @Test
  void otherLinesAreNotEvents() {
    assertThat(AggregatedEvent.parse("CPU:1 [LOST 112 EVENTS]", 1)).isEmpty();
    assertThat(
            AggregatedEvent.parse("  bash-1 [000] ..... 5.0: tracing_mark_write: tierd closing", 1))
        .isEmpty();
  }

  @Test
  void aMalformedEventNamesItself() {
    String line = "kdamond.0-7 [000] .... 3.0: damon_aggregated: target_id=x nr_regions=5 1-2: 9 0";
    assertThatThrownBy(() -> AggregatedEvent.parse(line, 1))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("target_id=x")
        .hasMessageContaining("bad target_id=");
  }

  @Test
  void theCaptureGivesWholeAggregationsOnly() throws IOException, InterruptedException {
    TracedAggregations built = new TracedAggregations();
    for (String line : capturedLines()) {
      AggregatedEvent.parse(line, 1).ifPresent(built::accept);
    }
    // 271 lines: whole aggregations of both targets, then the capture stops inside one
    assertThat(built.wholeAggregations()).isGreaterThanOrEqualTo(20);
    List<TracedAggregations.Snapshot> last = built.await(2, 0, Duration.ZERO).orElseThrow();
    for (TracedAggregations.Snapshot s : last) {
      List<TriedRegion> regions = s.regions();
      for (int i = 1; i < regions.size(); i++) {
        assertThat(regions.get(i).range().start())
            .isGreaterThanOrEqualTo(regions.get(i - 1).range().end());
      }
    }
    // the capture's last line: target 1 of 7 regions, stamped 11.562208, ends its aggregation
    assertThat(last.get(1).regions()).hasSize(7);
    assertThat(last.get(1).regions().get(6).range())
        .isEqualTo(new AddressRange(140727628955648L, 140727629090816L));
  }

  @Test
  void aTargetCutShortIsNeverHandedOut() {
    TracedAggregations built = new TracedAggregations();
    built.accept(event(1_000, 0, 3, 0x1000, 0x2000, 5));
    built.accept(event(1_000, 0, 3, 0x2000, 0x3000, 0));
    built.gap(); // the ring buffer overran here
    built.accept(event(1_000, 0, 3, 0x3000, 0x4000, 0));
    assertThat(built.wholeAggregations()).isZero();
    // the next aggregation starts at the lowest address again and completes
    built.accept(event(2_000, 0, 3, 0x1000, 0x2800, 4));
    built.accept(event(2_000, 0, 3, 0x2800, 0x3000, 0));
    built.accept(event(2_000, 0, 3, 0x3000, 0x4000, 1));
    assertThat(built.wholeAggregations()).isEqualTo(1);
  }

  @Test
  void aRestartAtALowerAddressOrAnotherCountStartsOver() throws InterruptedException {
    TracedAggregations built = new TracedAggregations();
    built.accept(event(1_000, 0, 2, 0x1000, 0x2000, 5));
    built.accept(event(2_000, 0, 2, 0x1000, 0x1800, 5)); // a new aggregation: lower start
    built.accept(event(2_000, 0, 3, 0x1800, 0x2000, 5)); // another count: starts over again
    assertThat(built.wholeAggregations()).isZero();
    built.accept(event(2_000, 0, 3, 0x2000, 0x3000, 0));
    built.accept(event(2_000, 0, 3, 0x3000, 0x4000, 0));
    assertThat(built.wholeAggregations()).isEqualTo(1);
    assertThat(built.await(1, 0, Duration.ZERO).orElseThrow().get(0).monoNanos()).isEqualTo(2_000);
  }

  @Test
  void onlyAggregationsNewerThanAskedAreHandedOut() throws InterruptedException {
    TracedAggregations built = new TracedAggregations();
    built.accept(event(1_000, 0, 1, 0x1000, 0x2000, 5));
    built.accept(event(1_000, 1, 1, 0x8000, 0x9000, 0));
    assertThat(built.await(2, 999, Duration.ZERO)).isPresent();
    assertThat(built.await(2, 1_000, Duration.ZERO)).isEmpty();
    // every target has to be newer: target 1 of the next aggregation is still missing
    built.accept(event(3_000, 0, 1, 0x1000, 0x2000, 6));
    assertThat(built.await(2, 1_000, Duration.ZERO)).isEmpty();
    assertThat(built.await(1, 1_000, Duration.ZERO)).isPresent();
  }

  @Test
  void theWeightOfNewerAggregationsIsBytesTimesAccesses() {
    TracedAggregations built = new TracedAggregations();
    assertThat(built.newerWeight(2, 0)).isEqualTo(-1);
    built.accept(event(1_000, 0, 2, 0x1000, 0x3000, 5)); // 8 KiB x 5
    built.accept(event(1_000, 0, 2, 0x3000, 0x4000, 0));
    built.accept(event(1_000, 1, 1, 0x8000, 0x9000, 2)); // 4 KiB x 2
    assertThat(built.newerWeight(2, 0)).isEqualTo(8192 * 5 + 4096 * 2);
    assertThat(built.newerWeight(2, 1_000)).isEqualTo(-1);
    built.accept(event(2_000, 1, 1, 0x8000, 0x9000, 0)); // target 1 again, idle now
    assertThat(built.newerWeight(2, 1_000)).isZero();
  }

  @Test
  void aSurgeIsTwiceTheLastWeightAndFourMibOfChecksMore() {
    long fourMib = DamonTracePipe.SURGE_WEIGHT;
    assertThat(DamonTracePipe.isSurge(-1, 0)).as("nothing newer").isFalse();
    assertThat(DamonTracePipe.isSurge(fourMib - 1, 0)).as("an idle process's few checks").isFalse();
    assertThat(DamonTracePipe.isSurge(fourMib, 0)).as("4 MiB touched from nothing").isTrue();
    // a busy process stays busy: no surge
    assertThat(DamonTracePipe.isSurge(100L << 20, 90L << 20)).isFalse();
    // Redis's 52 MiB hot set starts being read: one access each where there were a few MiB
    assertThat(DamonTracePipe.isSurge(52L << 20, 3L << 20)).isTrue();
  }

  @Test
  void aWaiterWakesWhenTheAggregationEnds() throws Exception {
    TracedAggregations built = new TracedAggregations();
    Thread kdamond =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                return;
              }
              built.accept(event(5_000, 0, 1, 0x1000, 0x2000, 3));
            });
    kdamond.start();
    Optional<List<TracedAggregations.Snapshot>> got = built.await(1, 4_000, Duration.ofSeconds(30));
    kdamond.join();
    assertThat(got).isPresent();
    assertThat(got.get().get(0).regions().get(0).nrAccesses()).isEqualTo(3);
  }

  @Test
  void withoutTracefsOpenSaysSo(@TempDir Path dir) {
    KernelRoot root = KernelRoot.under(dir);
    assertThat(DamonTracePipe.tracefs(root)).isEmpty();
    assertThatThrownBy(() -> DamonTracePipe.open(root, 1))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("no tracefs mounted");
  }

  @Test
  void withoutTheEventOpenSaysSo(@TempDir Path dir) throws IOException {
    KernelRoot root = KernelRoot.under(dir);
    Files.createDirectories(root.sys("kernel/tracing/instances"));
    assertThat(DamonTracePipe.tracefs(root)).contains(root.sys("kernel/tracing"));
    assertThatThrownBy(() -> DamonTracePipe.open(root, 1))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("no damon_aggregated tracepoint");
    assertThat(root.sys("kernel/tracing/instances/" + DamonTracePipe.INSTANCE)).doesNotExist();
  }

  private static AggregatedEvent event(
      long nanos, int target, int regions, long start, long end, int accesses) {
    return new AggregatedEvent(
        nanos, target, regions, new TriedRegion(new AddressRange(start, end), accesses, 0));
  }
}
