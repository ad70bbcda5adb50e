package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tierd.heat.IntervalTuner;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;

class TunedWindowTest {

  static final long S = 1_000_000_000L;
  final AtomicLong clock = new AtomicLong(1000 * S);
  final List<Long> sleptMillis = new ArrayList<>();

  TunedWindow window(long startSeconds) {
    IntervalTuner t =
        new IntervalTuner(
            0.04, Duration.ofSeconds(startSeconds), Duration.ofMillis(500), Duration.ofSeconds(30));
    return new TunedWindow(
        t,
        clock::get,
        ms -> {
          sleptMillis.add(ms);
          clock.addAndGet(ms * 1_000_000);
        });
  }

  static RegionSample sample(int accessedPages, int pages, Duration window) {
    return new RegionSample(
        1,
        AddressRange.ofSize(0x10000, 4096L * pages),
        accessedPages,
        pages,
        window,
        Duration.ZERO,
        "t");
  }

  @Test
  void aWindowLongerThanTheCycleIsReadEveryFewCycles() {
    TunedWindow w = window(15);
    List<TunedWindow.Plan> plans = new ArrayList<>();
    for (int cycle = 0; cycle < 7; cycle++) {
      TunedWindow.Plan p = w.plan();
      plans.add(p);
      if (p == TunedWindow.Plan.READ_THEN_MARK) {
        w.marked();
      }
      clock.addAndGet(5 * S);
    }
    assertThat(plans)
        .containsExactly(
            TunedWindow.Plan.READ_THEN_MARK, // first: only marks
            TunedWindow.Plan.SKIP,
            TunedWindow.Plan.SKIP,
            TunedWindow.Plan.READ_THEN_MARK, // 15 s after the mark
            TunedWindow.Plan.SKIP,
            TunedWindow.Plan.SKIP,
            TunedWindow.Plan.READ_THEN_MARK);
    assertThat(sleptMillis).isEmpty();
  }

  @Test
  void aWindowShorterThanHalfTheCycleIsTakenInsideTheCollect() {
    TunedWindow w = window(5);
    w.plan();
    w.marked();
    clock.addAndGet(5 * S);
    // half the pages were touched in 5 s: far above the 4 % goal -> the window halves (2.5 s)
    w.observed(List.of(sample(512, 1024, Duration.ofSeconds(5))));
    assertThat(w.window()).isEqualTo(Duration.ofMillis(2500));
    w.observed(List.of(sample(512, 1024, Duration.ofMillis(2500))));
    assertThat(w.window()).isEqualTo(Duration.ofMillis(1250));
    assertThat(w.plan()).isEqualTo(TunedWindow.Plan.MARK_WAIT_READ);
    w.marked();
    w.waitWindow();
    assertThat(sleptMillis).containsExactly(1250L);
    assertThat(w.intervals().orElseThrow().tunedBy()).isEqualTo("tierd");
  }

  @Test
  void quietPagesLengthenTheWindowUpToItsBound() {
    TunedWindow w = window(5);
    for (int i = 0; i < 5; i++) {
      w.observed(List.of(sample(0, 1024, w.window())));
    }
    assertThat(w.window()).isEqualTo(Duration.ofSeconds(30));
    w.observed(List.of()); // a collect that only marked changes nothing
    assertThat(w.window()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theUntunedWindowReadsEveryCollect() {
    TunedWindow w = TunedWindow.everyCollect(clock::get);
    for (int i = 0; i < 3; i++) {
      assertThat(w.plan()).isEqualTo(TunedWindow.Plan.READ_THEN_MARK);
      w.marked();
      clock.addAndGet(S / 10);
    }
    assertThat(w.intervals()).isEmpty();
  }
}
