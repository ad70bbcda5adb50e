package tierd.metrics;

import static tierd.metrics.MetricNames.SCAN_NUMA_MAPS;
import static tierd.metrics.MetricNames.SCAN_REJECTED;
import static tierd.metrics.MetricNames.SCAN_SKIPPED;
import static tierd.metrics.MetricNames.TRACKING_LEFT_OUT;
import static tierd.metrics.MetricNames.TRACKING_LIMIT;
import static tierd.metrics.MetricNames.TRACKING_USED;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the scan read and left out, and why: processes skipped ({@code
 * tierd_scan_skipped_processes_total}), numa_maps read or kept ({@code
 * tierd_scan_numa_maps_total}), inputs rejected for bad data ({@code tierd_scan_rejected_total})
 * and what the tracking limits, the memory bound, left out ({@code tierd_tracking_limit}, {@code
 * tierd_tracking_left_out}). Part of {@link TierdMetrics}, on its registry.
 */
public final class ScanMetrics {

  /**
   * The (file, reason) pairs the scan and the topology reader can report, registered at zero so
   * that a rate() sees a series from the first scrape: a file that does not parse (any process
   * file), a VMA the files disagree on (maps, numa_maps), a node that vanished (its sysfs files).
   */
  static final List<List<String>> KNOWN =
      List.of(
          List.of("numa_maps", "malformed"),
          List.of("maps", "malformed"),
          List.of("status", "malformed"),
          List.of("stat", "malformed"),
          List.of("cgroup", "malformed"),
          List.of("cmdline", "malformed"),
          List.of("cpuset", "malformed"),
          List.of("other", "malformed"),
          List.of("other", "error"),
          List.of("numa_maps", "too_large"),
          List.of("maps", "too_large"),
          List.of("numa_maps", "unmatched"),
          List.of("maps", "unmatched"),
          List.of("numa_maps", "beyond_vma"),
          List.of("numa_maps", "unknown_node"),
          List.of("meminfo", "absent"),
          List.of("distance", "absent"),
          List.of("cpulist", "absent"),
          List.of("other", "absent"),
          List.of("other", "unknown_node"));

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> limit =
      Map.of("vmas", new AtomicLong(), "regions", new AtomicLong());
  private final Map<String, AtomicLong> used =
      Map.of("vmas", new AtomicLong(), "regions", new AtomicLong());
  private final Map<String, AtomicLong> leftOut =
      Map.of("processes", new AtomicLong(), "vmas", new AtomicLong(), "regions", new AtomicLong());

  ScanMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (List<String> k : KNOWN) {
      rejected(k.get(0), k.get(1));
    }
    limit.forEach(
        (kind, v) ->
            Gauge.builder(TRACKING_LIMIT, v, AtomicLong::get)
                .description(
                    "VMAs and regions tierd tracks at most per cycle (what the heap holds)")
                .tag("kind", kind)
                .register(registry));
    used.forEach(
        (kind, v) ->
            Gauge.builder(TRACKING_USED, v, AtomicLong::get)
                .description("VMAs and regions the last cycle tracked (at most the limit)")
                .tag("kind", kind)
                .register(registry));
    leftOut.forEach(
        (kind, v) ->
            Gauge.builder(TRACKING_LEFT_OUT, v, AtomicLong::get)
                .description(
                    "What the tracking limits left out of the last cycle: the smallest processes,"
                        + " the smallest VMAs of the largest one, regions merged or dropped")
                .tag("kind", kind)
                .register(registry));
  }

  private Counter rejected(String file, String reason) {
    return Counter.builder(SCAN_REJECTED)
        .description(
            "Processes, VMAs and memory nodes left out of a cycle for a malformed, inconsistent"
                + " or vanished kernel file, by file and reason")
        .tags("file", file, "reason", reason)
        .register(registry);
  }

  /** Processes the scan skipped: exited, denied (no permission) or malformed. */
  public void skipped(long exited, long denied, long malformed) {
    for (var e : Map.of("exited", exited, "denied", denied, "malformed", malformed).entrySet()) {
      Counter.builder(SCAN_SKIPPED)
          .description("Processes skipped by the scan, by reason")
          .tag("reason", e.getKey())
          .register(registry)
          .increment(e.getValue());
    }
  }

  /** numa_maps files read or kept by one scan, or re-read before a move ("rechecked"). */
  public void numaMaps(String outcome, long n) {
    Counter.builder(SCAN_NUMA_MAPS)
        .description(
            "Managed processes' numa_maps: read by the scan, kept from an earlier read, or re-read"
                + " before a move")
        .tag("outcome", outcome)
        .register(registry)
        .increment(n);
  }

  /** One scan's rejections: file, then reason, then how many. */
  public void rejected(Map<String, Map<String, Long>> countByFileAndReason) {
    countByFileAndReason.forEach(
        (file, byReason) -> byReason.forEach((reason, n) -> rejected(file, reason).increment(n)));
  }

  /** The limits in force. */
  public void limits(long maxVmas, long maxRegions) {
    limit.get("vmas").set(maxVmas);
    limit.get("regions").set(maxRegions);
  }

  /** The VMAs the last scan tracked, and the processes and VMAs the VMA limit left out. */
  public void scanned(long trackedVmas, long processes, long vmas) {
    used.get("vmas").set(trackedVmas);
    leftOut.get("processes").set(processes);
    leftOut.get("vmas").set(vmas);
  }

  /** The region samples the last heat stage kept, and those it merged or dropped. */
  public void regions(long kept, long regions) {
    used.get("regions").set(kept);
    leftOut.get("regions").set(regions);
  }
}
