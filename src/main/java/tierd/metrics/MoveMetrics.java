package tierd.metrics;

import static tierd.metrics.MetricNames.DRY_RUN_BYTES;
import static tierd.metrics.MetricNames.MIGRATED_BYTES;
import static tierd.metrics.MetricNames.MIGRATED_PAGES;
import static tierd.metrics.MetricNames.MOVE_CALLS;
import static tierd.metrics.MetricNames.MOVE_DEFERRED;
import static tierd.metrics.MetricNames.MOVE_FAILURES;
import static tierd.metrics.MetricNames.MOVE_LONGEST_CALL;
import static tierd.metrics.MetricNames.PLANNED_BYTES;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import tierd.mover.Outcome;
import tierd.topology.Topology;

/**
 * What the planner asked to move and what the mover did: bytes planned, moved and recorded by a dry
 * run per (direction, from_node, to_node), pages the kernel refused by errno, pages held back,
 * move_pages calls and the longest one. Part of {@link TierdMetrics}, on its registry; the families
 * with a known label set are registered at zero so that rate() and alerts see a series from the
 * first scrape.
 */
public final class MoveMetrics {

  private final MeterRegistry registry;
  private final AtomicLong longestCallNanos = new AtomicLong();

  MoveMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(MOVE_LONGEST_CALL, longestCallNanos, v -> v.get() / 1e9)
        .description("Longest single move_pages call of the last cycle")
        .baseUnit("seconds")
        .register(registry);
    for (Outcome o : Outcome.values()) {
      if (o.isFailure()) {
        failures(o.name(), 0);
      } else if (o.isDeferral()) {
        deferred(o, 0);
      }
    }
    calls(0, 0, Duration.ZERO);
  }

  /** Every (direction, from, to) pair of the topology's targets, at zero. */
  void zeroForTargets(Topology t) {
    for (int n : t.nodeIds().toArray()) {
      for (int to : t.promotionTargets(n)) {
        zero("promote", n, to);
      }
      for (int to : t.demotionTargets(n)) {
        zero("demote", n, to);
      }
    }
  }

  public void migrated(String direction, int from, int to, long pages, long bytes) {
    Counter.builder(MIGRATED_PAGES)
        .description("Pages moved between nodes by tierd")
        .tags(tags(direction, from, to))
        .register(registry)
        .increment(pages);
    Counter.builder(MIGRATED_BYTES)
        .description("Bytes moved between nodes by tierd")
        .baseUnit("bytes")
        .tags(tags(direction, from, to))
        .register(registry)
        .increment(bytes);
  }

  public void planned(String direction, int from, int to, long bytes) {
    Counter.builder(PLANNED_BYTES)
        .description("Bytes the planner asked to move")
        .baseUnit("bytes")
        .tags(tags(direction, from, to))
        .register(registry)
        .increment(bytes);
  }

  public void wouldMove(String direction, int from, int to, long bytes) {
    Counter.builder(DRY_RUN_BYTES)
        .description("Bytes a dry run would have moved")
        .baseUnit("bytes")
        .tags(tags(direction, from, to))
        .register(registry)
        .increment(bytes);
  }

  /** Pages the kernel did not move, by errno. */
  public void failures(String errno, long pages) {
    Counter.builder(MOVE_FAILURES)
        .description("Pages the kernel did not move, by errno")
        .tag("errno", errno)
        .register(registry)
        .increment(pages);
  }

  /** Pages held back on purpose by a move stage ({@link Outcome#isDeferral()}). */
  public void deferred(Outcome outcome, long pages) {
    Counter.builder(MOVE_DEFERRED)
        .description(
            "Pages a move stage held back for a later cycle: time budget spent, no room, or"
                + " beyond the bytes planned")
        .tag("reason", deferralReason(outcome))
        .register(registry)
        .increment(pages);
  }

  /** The {@code reason} label of a deferral: one per {@link Outcome#isDeferral()} outcome. */
  static String deferralReason(Outcome outcome) {
    return switch (outcome) {
      case DEFERRED -> "time_budget";
      case NO_ROOM -> "no_room";
      case OVER_PLAN -> "over_plan";
      default -> throw new IllegalArgumentException(outcome + " is not a deferral");
    };
  }

  /** move_pages calls that moved and that only queried, and the longest call of either kind. */
  public void calls(long moves, long queries, Duration longest) {
    Counter.builder(MOVE_CALLS)
        .description("move_pages system calls, by kind")
        .tag("kind", "move")
        .register(registry)
        .increment(moves);
    Counter.builder(MOVE_CALLS)
        .description("move_pages system calls, by kind")
        .tag("kind", "query")
        .register(registry)
        .increment(queries);
    longestCallNanos.set(longest.toNanos());
  }

  private void zero(String direction, int from, int to) {
    migrated(direction, from, to, 0, 0);
    planned(direction, from, to, 0);
    wouldMove(direction, from, to, 0);
  }

  private static Tags tags(String direction, int from, int to) {
    return Tags.of(
        "direction",
        direction,
        "from_node",
        Integer.toString(from),
        "to_node",
        Integer.toString(to));
  }
}
