package tierd.daemon;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.BoundedSamples;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelFiles;
import tierd.metrics.ScanMetrics;
import tierd.process.ProcessScanner;

/**
 * How much tierd tracks per cycle, derived from the heap it may use ({@link Runtime#maxMemory()},
 * the launcher's {@code -Xmx64m}), so that no host, however many processes, VMAs and regions it
 * has, runs tierd out of memory (the launcher exits on an OutOfMemoryError: that would be a dead
 * daemon). Two limits:
 *
 * <ul>
 *   <li>{@link #maxVmas()}: the discover stage reads the managed processes largest RSS first and
 *       stops when their VMAs reach it (the process that crosses it keeps its largest VMAs). The
 *       smallest processes are left out, never the largest.
 *   <li>{@link #maxRegions()}: the heat stage keeps at most this many region samples, merging
 *       neighbours of one process, the smallest spans first ({@link BoundedSamples}), and the
 *       scorer keeps at most this many regions of history.
 * </ul>
 *
 * <p>Derivation, measured with {@code tierd.bench.ScaleBench} under the launcher's flags and with
 * the limits off, reading the heap after each full collection ({@code -Xlog:gc}: the live heap at
 * the moment the old generation filled, the peak of a cycle; BENCHMARKS.md "Scale"):
 *
 * <ul>
 *   <li>VMAs, no heat source: 9, 13, 21 and 53 MiB at 25,000, 50,000, 100,000 and 250,000 VMAs
 *       (generated trees of 100 to 1,000 processes x 250 VMAs): 170-190 bytes a VMA (the {@link
 *       tierd.process.Vma}, its range, pages per node and path, in the scan's cache and the cycle's
 *       process list), about 4 MiB with none. {@link #BYTES_PER_VMA} = 200.
 *   <li>Regions from numa-maps-active (one per VMA with pages; 14,400, 28,800 and 57,600 of them on
 *       top of those VMAs): 20, 33 and 58 MiB, 670-760 bytes a region (the sample, the source's age
 *       state, the scorer's history and scored region, the planner's work on it). A synthetic
 *       source's regions (no per-region state in the source) cost 290 bytes. {@link
 *       #BYTES_PER_REGION} = 750, the dearer source.
 *   <li>One process's read: a process of 65,000 VMAs (the default vm.max_map_count is 65,530)
 *       peaked at 27 MiB, 11 MiB of it the read itself (the texts of maps and numa_maps, the
 *       mappings of maps) beyond its VMAs. Files above heap / {@link #MAX_FILE_SHARE} (4 MiB at 64
 *       MiB, some 40,000-60,000 VMAs) are not read: that process is left out, said once with its
 *       fix.
 * </ul>
 *
 * <p>{@link #RESERVED_BYTES} = 40 MiB: the 4 MiB of an empty daemon, the 12 MiB young generation
 * (the launcher's {@code -Xmn12m}: live data must fit the old generation), one read of up to 11
 * MiB, and 13 MiB of room so that the old generation is not full at every collection (at 32 MiB
 * reserved, full collections came twice a cycle at the limits). What is left is shared half and
 * half: at the launcher's {@code -Xmx64m -Xmn12m}, where {@code maxMemory()} is 62.8 MiB (one
 * survivor space is not counted), 22.8 MiB: 59,801 VMAs and 15,947 regions. A larger {@code -Xmx}
 * (in JAVA_OPTS) raises both.
 */
public final class TrackingLimits {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  static final long RESERVED_BYTES = 40L << 20;

  static final long BYTES_PER_VMA = 200;

  static final long BYTES_PER_REGION = 750;

  static final long MAX_FILE_SHARE = 16;

  /** No limit: tests and the CLI's one-shot commands over small trees. */
  public static final TrackingLimits NONE =
      new TrackingLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, KernelFiles.MAX_BYTES);

  private final int maxVmas;
  private final int maxRegions;
  private final int maxFileBytes;
  private boolean saidRegions;

  private TrackingLimits(int maxVmas, int maxRegions, int maxFileBytes) {
    if (maxVmas < 1 || maxRegions < 1) {
      throw new IllegalArgumentException(
          "tracking limits must be at least 1: " + maxVmas + " VMAs, " + maxRegions + " regions");
    }
    this.maxVmas = maxVmas;
    this.maxRegions = maxRegions;
    this.maxFileBytes = maxFileBytes;
  }

  /** The limits for a heap of {@code maxHeapBytes} (at least 1,000 of each). */
  public static TrackingLimits forHeap(long maxHeapBytes) {
    long usable = Math.max(0, maxHeapBytes - RESERVED_BYTES);
    return new TrackingLimits(
        (int) Math.min(Integer.MAX_VALUE, Math.max(1000, usable / 2 / BYTES_PER_VMA)),
        (int) Math.min(Integer.MAX_VALUE, Math.max(1000, usable / 2 / BYTES_PER_REGION)),
        (int) Math.min(KernelFiles.MAX_BYTES, Math.max(1 << 20, maxHeapBytes / MAX_FILE_SHARE)));
  }

  /** Explicit limits (tests). */
  public static TrackingLimits of(int maxVmas, int maxRegions) {
    return new TrackingLimits(maxVmas, maxRegions, KernelFiles.MAX_BYTES);
  }

  public int maxVmas() {
    return maxVmas;
  }

  public int maxRegions() {
    return maxRegions;
  }

  /** The largest maps or numa_maps the scan reads: heap / {@link #MAX_FILE_SHARE}. */
  public int maxFileBytes() {
    return maxFileBytes;
  }

  /** This cycle's samples of {@code heat}, at most {@link #maxRegions()}; says once it merges. */
  List<RegionSample> collect(HeatSource heat, ScanMetrics metrics) {
    BoundedSamples kept = new BoundedSamples(maxRegions);
    heat.maxRegions(maxRegions);
    heat.collect(kept);
    List<RegionSample> samples = kept.samples();
    long leftOut = kept.merged() + kept.dropped();
    metrics.regions(samples.size(), leftOut);
    if (leftOut > 0 && !saidRegions) {
      log.warn(
          "tracking limit: {} reported {} regions; tierd keeps {} (the region limit of this heap),"
              + " merging the smallest neighbours first (tierd_tracking_left_out{kind=\"regions\"});"
              + " a larger -Xmx raises the limit",
          heat.name(),
          kept.reported(),
          maxRegions);
    }
    saidRegions = leftOut > 0;
    return samples;
  }

  /** The limits and what the scan left out, as metrics. */
  void publish(ScanMetrics metrics, ProcessScanner.Result scan) {
    metrics.limits(maxVmas, maxRegions);
    metrics.scanned(scan.vmas(), scan.leftOutProcesses(), scan.leftOutVmas());
  }

  @Override
  public String toString() {
    return maxVmas + " VMAs, " + maxRegions + " regions";
  }
}
