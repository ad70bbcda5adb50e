package tierd.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import tierd.config.TierdConfig;
import tierd.daemon.TieringCycle;
import tierd.daemon.Wiring;
import tierd.metrics.TierdMetrics;

/**
 * A dry-run cycle for the report commands ({@code plan}, {@code profile}), run window after window:
 * on the running kernel one interval apart in real time, on a fixture tree (a snapshot) on a clock
 * that moves one interval per window, so that a fixture's windows take no time.
 */
final class Windows implements AutoCloseable {

  /** A clock that moves only when told to: a fixture tree is a snapshot, so its time is ours. */
  static final class SteppingClock extends Clock {
    private Instant now;

    SteppingClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TierdConfig config;
  private final boolean fixture;
  private final SteppingClock stepping;
  private final Clock clock;
  private Instant start;
  private final TieringCycle cycle;
  private final TierdMetrics metrics;

  private Windows(TierdConfig config) {
    this.fixture = !config.kernelRoot().isHost();
    // A captured tree holds DAMON results that have already converged: no warm-up.
    this.config =
        fixture
            ? config.withStages(
                config.stages().withHeat(config.stages().heat().withWarmup(Duration.ZERO)))
            : config;
    this.stepping = new SteppingClock(Instant.now());
    this.clock = fixture ? stepping : Clock.systemUTC();
    this.metrics = new TierdMetrics(VersionCommand.version());
    Wiring.Wired wired = Wiring.wire(this.config, true, clock, metrics);
    this.cycle = new TieringCycle(this.config, wired.parts());
  }

  static Windows open(TierdConfig config) {
    return new Windows(config);
  }

  /** The config the cycle runs with (a fixture's without warm-up). */
  TierdConfig config() {
    return config;
  }

  boolean fixture() {
    return fixture;
  }

  TieringCycle cycle() {
    return cycle;
  }

  TierdMetrics metrics() {
    return metrics;
  }

  /** Time since the first window started (zero before it). */
  Duration elapsed() {
    return start == null ? Duration.ZERO : Duration.between(start, clock.instant());
  }

  /**
   * Waits until window {@code index} (0 = the first) is due: {@code index} intervals after the
   * first started.
   */
  void awaitWindow(long index) throws InterruptedException {
    if (start == null) {
      start = clock.instant();
    }
    Instant due = start.plus(config.interval().multipliedBy(index));
    if (fixture) {
      stepping.advance(Duration.between(stepping.instant(), due));
      return;
    }
    long ms = Duration.between(clock.instant(), due).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  @Override
  public void close() {
    cycle.close();
  }
}
