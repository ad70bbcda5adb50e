package tierd.heat.damon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;

/**
 * tierd's kdamond's aggregations as they end, read from the {@code damon:damon_aggregated}
 * tracepoint in a tracefs instance of tierd's own ({@code instances/tierd-damon}), instead of
 * asking for them with {@code update_schemes_tried_regions}.
 *
 * <p>Why: on 6.12 a {@code update_schemes_tried_regions} write is served in the kdamond's
 * after-aggregation callback, so it returns one to two aggregation intervals later with regions one
 * aggregation old (BENCHMARKS.md, section 6). The tracepoint fires at the end of every aggregation
 * ({@code kdamond_reset_aggregated}), before the counts are reset, with the same regions and counts
 * the schemes see: a collect waits at most for the aggregation in progress and gets it fresh.
 *
 * <p>The instance has its own ring buffer and event switches, so tracing set up by anyone else is
 * left alone, and nobody else's reading of the global buffer sees tierd's events. The event is
 * filtered in the kernel to tierd's kdamond ({@code common_pid == <kdamond pid>}, rewritten when
 * the kdamond restarts with a new pid), so a foreign kdamond's regions never reach tierd. The
 * instance's clock is {@code mono}, the clock of {@link System#nanoTime()}, so an aggregation's
 * time compares with the daemon's. A daemon thread reads {@code trace_pipe} (it blocks until events
 * come); {@link #close()} writes a line to the instance's {@code trace_marker} to wake it, and
 * removes the instance. One left by a killed tierd is removed at the next start.
 *
 * <p>Where tracefs, the instance or the event is missing (no tracefs mounted, a kernel without
 * DAMON's tracepoint), {@link #open} says so and the source reads tried regions as before.
 */
final class DamonTracePipe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DamonSource.class);

  static final String INSTANCE = "tierd-damon";
  static final String EVENT = "events/damon/damon_aggregated/";

  /** Ring buffer per CPU: about four aggregations of 1000 regions (an event takes ~64 bytes). */
  static final int BUFFER_KB = 256;

  private final Path instance;
  private final long addrUnit;
  private final TracedAggregations aggregations = new TracedAggregations();
  private final Thread reader;
  private volatile boolean closing;
  private volatile boolean ended;
  private final FileChannel pipe;
  private int filteredPid = -1;
  private long handedOutNanos = System.nanoTime();
  private long handedOutWeight;

  /** When the oldest of the aggregations last handed out ended (System.nanoTime's clock). */
  private long handedOutOldestNanos = handedOutNanos;

  private DamonTracePipe(Path instance, FileChannel pipe, long addrUnit) {
    this.instance = instance;
    this.pipe = pipe;
    this.addrUnit = addrUnit;
    this.reader = new Thread(this::pump, "tierd-damon-trace");
    this.reader.setDaemon(true);
  }

  /** The tracefs mount: {@code /sys/kernel/tracing}, or the one debugfs carries. */
  static Optional<Path> tracefs(KernelRoot root) {
    for (String rel : List.of("kernel/tracing", "kernel/debug/tracing")) {
      Path dir = root.sys(rel);
      if (Files.isDirectory(dir.resolve("instances"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /**
   * Creates the instance (after removing a dead tierd's), sets it up with the event still off, and
   * starts the reader; {@link #follow} turns the event on once the kdamond's pid is known.
   *
   * @throws KernelFsException when tracefs, its instances or the event are not there or refuse
   */
  static DamonTracePipe open(KernelRoot root, long addrUnit) {
    Path tracefs =
        tracefs(root)
            .orElseThrow(
                () ->
                    KernelFsException.of(
                        KernelFsException.Kind.ABSENT,
                        root.sys("kernel/tracing/instances"),
                        "no tracefs mounted",
                        null));
    if (!Files.isDirectory(tracefs.resolve(EVENT))) {
      throw KernelFsException.of(
          KernelFsException.Kind.ABSENT,
          tracefs.resolve(EVENT),
          "the kernel has no damon_aggregated tracepoint",
          null);
    }
    Path instance = tracefs.resolve("instances").resolve(INSTANCE);
    if (Files.isDirectory(instance)) {
      remove(instance); // a killed tierd's: only one tierd owns DAMON at a time
    }
    try {
      Files.createDirectory(instance);
    } catch (IOException e) {
      throw KernelFiles.classify(instance, e);
    }
    FileChannel pipe;
    try {
      KernelFiles.write(instance.resolve("trace_clock"), "mono");
      KernelFiles.write(instance.resolve("buffer_size_kb"), Integer.toString(BUFFER_KB));
      pipe = FileChannel.open(instance.resolve("trace_pipe"), StandardOpenOption.READ);
    } catch (KernelFsException e) {
      remove(instance);
      throw e;
    } catch (IOException e) {
      remove(instance);
      throw KernelFiles.classify(instance.resolve("trace_pipe"), e);
    }
    DamonTracePipe p = new DamonTracePipe(instance, pipe, addrUnit);
    p.reader.start();
    return p;
  }

  /**
   * {@link #open} and {@link #follow}, or null (logged) when the tracepoint cannot be used: the
   * source then reads tried regions.
   */
  static DamonTracePipe openOrNone(KernelRoot root, long addrUnit, int kthreadPid) {
    DamonTracePipe trace = null;
    try {
      trace = open(root, addrUnit);
      trace.follow(kthreadPid);
      log.info(
          "DAMON regions read from the damon_aggregated tracepoint (tracefs instance {})",
          INSTANCE);
      return trace;
    } catch (KernelFsException e) {
      if (trace != null) {
        trace.close();
      }
      log.info("DAMON regions read from tried_regions: no tracepoint ({})", e.getMessage());
      return null;
    }
  }

  /**
   * Traces the kdamond with pid {@code kthreadPid} (the filter is rewritten when it changed); -1
   * (not running) changes nothing.
   */
  void follow(int kthreadPid) {
    if (kthreadPid <= 0 || kthreadPid == filteredPid) {
      return;
    }
    KernelFiles.write(instance.resolve(EVENT + "filter"), "common_pid == " + kthreadPid);
    if (filteredPid == -1) {
      KernelFiles.write(instance.resolve(EVENT + "enable"), "1");
    }
    filteredPid = kthreadPid;
  }

  /** False once the reader stopped (trace_pipe ended or failed): read tried regions instead. */
  boolean usable() {
    return !ended && !closing;
  }

  /**
   * The targets were rewritten (a commit): aggregations that ended before now may index them
   * differently and are never handed out.
   */
  void targetsChanged() {
    handedOutNanos = Math.max(handedOutNanos, System.nanoTime());
  }

  /**
   * Each of targets {@code 0..targets-1}'s regions from an aggregation newer than the last one
   * handed out (and than the last {@link #targetsChanged}), waiting up to {@code timeout} for the
   * aggregation in progress to end; empty when they did not come in time.
   */
  Optional<List<List<TriedRegion>>> next(int targets, Duration timeout) {
    try {
      Optional<List<TracedAggregations.Snapshot>> got =
          aggregations.await(targets, handedOutNanos, timeout);
      got.ifPresent(
          all -> {
            all.forEach(s -> handedOutNanos = Math.max(handedOutNanos, s.monoNanos()));
            handedOutOldestNanos =
                all.stream()
                    .mapToLong(TracedAggregations.Snapshot::monoNanos)
                    .min()
                    .orElse(handedOutNanos);
            handedOutWeight =
                all.stream().mapToLong(TracedAggregations.Snapshot::accessWeight).sum();
          });
      return got.map(all -> all.stream().map(TracedAggregations.Snapshot::regions).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * When the oldest aggregation of the last {@link #next} ended: what its intervals are looked up
   * by ({@link DamonIntervals#inForceAt}).
   */
  long handedOutSinceNanos() {
    return handedOutOldestNanos;
  }

  /**
   * Bytes × accesses an aggregation must add, beyond twice what the last one handed out showed, to
   * count as a surge: 4 MiB touched in one check. A process that idles touches a few of its regions
   * in a few checks; a load that starts touches its whole working set.
   */
  static final long SURGE_WEIGHT = 4L << 20;

  /**
   * True when an aggregation newer than the last one handed out shows at least twice its access
   * weight plus {@link #SURGE_WEIGHT} (see {@link tierd.heat.HeatSource#surged()}).
   */
  boolean surged(int targets) {
    return isSurge(aggregations.newerWeight(targets, handedOutNanos), handedOutWeight);
  }

  /** The rule of {@link #surged}: {@code newerWeight} -1 means no newer aggregation. */
  static boolean isSurge(long newerWeight, long handedOutWeight) {
    return newerWeight >= 0 && newerWeight >= 2 * handedOutWeight + SURGE_WEIGHT;
  }

  private void pump() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(pipe), StandardCharsets.US_ASCII))) {
      String line;
      while (!closing && (line = in.readLine()) != null) {
        if (line.contains("LOST")) {
          aggregations.gap();
          continue;
        }
        AggregatedEvent.parse(line, addrUnit).ifPresent(aggregations::accept);
      }
      if (!closing) {
        log.warn("DAMON trace: {} ended; reading tried regions instead", instance);
      }
    } catch (IOException | KernelFsException e) {
      if (!closing) {
        log.warn(
            "DAMON trace: reading {} failed ({}); reading tried regions instead",
            instance.resolve("trace_pipe"),
            e.getMessage());
      }
    } finally {
      ended = true;
      aggregations.wakeAll();
    }
  }

  /** Stops the event and the reader and removes the instance. Idempotent. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    try {
      KernelFiles.write(instance.resolve(EVENT + "enable"), "0");
      KernelFiles.write(instance.resolve("trace_marker"), "tierd closing");
    } catch (KernelFsException e) {
      log.debug("DAMON trace: stopping {}: {}", instance, e.getMessage());
    }
    try {
      reader.join(2000);
      pipe.close(); // also wakes a read still blocked (FileChannel closes interruptibly)
      reader.join(2000);
    } catch (IOException e) {
      log.debug("DAMON trace: closing {}: {}", instance, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      remove(instance);
    } catch (KernelFsException e) {
      log.warn("DAMON trace: could not remove {}: {}", instance, e.getMessage());
    }
  }

  /** rmdir: tracefs removes an instance's files with it (EBUSY while a reader has it open). */
  private static void remove(Path instance) {
    try {
      Files.deleteIfExists(instance);
    } catch (IOException e) {
      throw KernelFiles.classify(instance, e);
    }
  }
}
