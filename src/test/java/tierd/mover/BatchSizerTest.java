package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The batch-size rule, driven with made-up call durations (no clock involved). */
class BatchSizerTest {

  static final long PAGE = 4096;
  static final long FOLIO = 2L << 20;
  static final MoverConfig CONFIG =
      MoverConfig.DEFAULT.withCallBound(Duration.ofMillis(20)).withBatchPages(64, 16384);

  @Test
  void startsAtTheInitialBatchInBytes() {
    BatchSizer s = new BatchSizer(CONFIG);
    assertThat(s.next(PAGE)).isEqualTo(64);
    assertThat(s.next(FOLIO)).as("64 base pages are less than a folio: one folio").isEqualTo(1);
    assertThat(s.nanosPerByte()).isNaN();
  }

  @Test
  void growsAtMostTwofoldPerCallWhileCallsAreFast() {
    BatchSizer s = new BatchSizer(CONFIG);
    int n = s.next(PAGE);
    int[] seen = new int[6];
    for (int i = 0; i < seen.length; i++) {
      s.record(n, PAGE, n * 1_000L); // 1 us per page: far under the bound
      n = s.next(PAGE);
      seen[i] = n;
    }
    assertThat(seen).containsExactly(128, 256, 512, 1024, 2048, 4096);
  }

  @Test
  void aimsAtThreeQuartersOfTheBound() {
    BatchSizer s = new BatchSizer(CONFIG);
    for (int i = 0; i < 12; i++) {
      int n = s.next(PAGE);
      s.record(n, PAGE, n * 10_000L); // 10 us per page
    }
    assertThat(s.next(PAGE)).isEqualTo(1500); // 15 ms / 10 us
  }

  @Test
  void oneSlowCallShrinksTheNextBatchAtOnce() {
    BatchSizer s = new BatchSizer(CONFIG);
    s.record(1000, PAGE, 1_000_000L); // 1 us per page
    s.record(1000, PAGE, 100_000_000L); // then 100 us per page: 100 ms
    assertThat(s.next(PAGE)).isEqualTo(150);
    s.record(150, PAGE, 150_000L); // fast again: the slow call still sets the size
    assertThat(s.next(PAGE)).isEqualTo(150);
  }

  @Test
  void aSlowCallKeepsBatchesSmallUntilItLeavesTheWindow() {
    BatchSizer s = new BatchSizer(CONFIG);
    for (int i = 0; i < 12; i++) {
      int n = s.next(PAGE);
      s.record(n, PAGE, n * 10_000L); // 10 us per page: 1500-page batches
    }
    s.record(1500, PAGE, 1500 * 50_000L); // one call at 50 us per page (75 ms)
    int[] seen = new int[BatchSizer.WINDOW + 3];
    for (int i = 0; i < seen.length; i++) {
      int n = s.next(PAGE);
      seen[i] = n;
      s.record(n, PAGE, n * 10_000L);
    }
    assertThat(seen)
        .as("300 pages while the slow call is among the last 8, then back up by doubling")
        .containsExactly(300, 300, 300, 300, 300, 300, 300, 300, 600, 1200, 1500);
  }

  @Test
  void neverBelowOneNorAboveTheMax() {
    BatchSizer s = new BatchSizer(CONFIG);
    s.record(1, FOLIO, 50_000_000L); // one folio took 50 ms
    assertThat(s.next(FOLIO)).isEqualTo(1);
    BatchSizer fast = new BatchSizer(CONFIG.withBatchPages(64, 100));
    for (int i = 0; i < 10; i++) {
      fast.record(fast.next(PAGE), PAGE, 0);
    }
    assertThat(fast.next(PAGE)).isEqualTo(100);
  }
}
