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

  /**
   * Calls cost a fixed 12 ms (move_pages drains every CPU's LRU cache; under emulation that is most
   * of a call) plus 5 us per page. The size grows by target / time per call towards (15 ms - 12 ms)
   * / 5 us = 600 pages; sized by the slowest bytes per nanosecond of the last eight calls, it had
   * reached 93 pages after twelve calls. One-page tails within the target then leave the batch
   * where full calls put it; recorded as before, one of them made the next batches one or two
   * pages.
   */
  @Test
  void aShortCallWithinTheTargetDoesNotShrinkTheNextBatch() {
    BatchSizer s = new BatchSizer(CONFIG);
    for (int i = 0; i < 12; i++) {
      int n = s.next(PAGE);
      s.record(n, PAGE, 12_000_000L + n * 5_000L);
    }
    assertThat(s.next(PAGE)).as("twelve calls in").isGreaterThan(300);
    for (int i = 0; i < 20; i++) {
      int n = s.next(PAGE);
      s.record(n, PAGE, 12_000_000L + n * 5_000L);
    }
    int full = s.next(PAGE);
    assertThat(full).as("where the pages' own cost fills the target").isBetween(550, 600);
    for (int i = 0; i < 5; i++) {
      s.next(PAGE);
      s.record(1, PAGE, 12_005_000L); // a request's last page
    }
    assertThat(s.next(PAGE)).isEqualTo(full);
  }

  @Test
  void aShortCallOverTheTargetIsRecorded() {
    BatchSizer s = new BatchSizer(CONFIG);
    for (int i = 0; i < 12; i++) {
      int n = s.next(PAGE);
      s.record(n, PAGE, n * 10_000L); // 1500-page batches
    }
    s.next(PAGE);
    s.record(100, PAGE, 100 * 50_000L + 15_000_000L); // 100 pages in 20 ms: a slow kernel
    assertThat(s.next(PAGE)).isLessThan(1500);
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
