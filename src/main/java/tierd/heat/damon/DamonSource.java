package tierd.heat.damon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.HeatSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.IntervalTuner;
import tierd.heat.RegionSample;
import tierd.heat.Sleeper;
import tierd.heat.SourceKind;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;

/**
 * Region heat from a kdamond that tierd creates and owns, through the DAMON sysfs interface.
 *
 * <h2>Ownership: tierd only ever goes from zero kdamonds to one and back</h2>
 *
 * Writing {@code kdamonds/nr_kdamonds} does not add directories: {@code nr_kdamonds_store} → {@code
 * damon_sysfs_kdamonds_add_dirs} (mm/damon/sysfs.c, 5.18 to 6.18) first fails with EBUSY if any
 * kdamond is running ({@code damon_sysfs_kdamonds_busy}; also if another writer holds {@code
 * damon_sysfs_lock}, via {@code mutex_trylock}), and otherwise <em>removes every kdamond
 * directory</em> ({@code damon_sysfs_kdamonds_rm_dirs}, which destroys their contexts) and creates
 * {@code nr} fresh, unconfigured ones. So growing {@code nr_kdamonds} from {@code k > 0} would
 * erase the configuration of every existing kdamond, even one that is off. Therefore tierd creates
 * its kdamond only when {@code nr_kdamonds} reads 0 — it becomes {@code kdamonds/0} — and otherwise
 * reports "DAMON busy (foreign kdamond N ...)" (see {@link DamonStatus#busyReason()}) so that the
 * caller falls back to another source. A kdamond tierd did not create is never written to. On
 * {@link #close()} tierd turns its kdamond off and writes {@code nr_kdamonds} = 0, but only after
 * checking that {@code kdamonds/0} still carries its fingerprint. The kernel offers no
 * compare-and-swap: between tierd's read of 0 and its write of 1 another user could write too; the
 * window is one sysfs round trip, and tierd re-reads {@code nr_kdamonds} just before writing.
 *
 * <h2>Crash safety</h2>
 *
 * A {@link DamonStateFile} in the runtime directory records the kdamond before the first write and
 * is removed after the last; {@link DamonLeftovers} removes a dead tierd's kdamond on the next
 * start, but only when its fingerprint still matches.
 *
 * <h2>Reading results</h2>
 *
 * One {@code stat} scheme per target whose access pattern matches everything (new schemes start at
 * min = max = 0, which matches nothing), restricted to its target by a DAMOS {@code target} filter
 * ({@code type=target}, {@code damon_target_idx=i}, {@code matching=N}, {@code allow=N}: reject
 * regions of other targets; 6.6+), because {@code tried_regions/<N>} does not say which target a
 * region belongs to. {@link #collect()} writes {@code update_schemes_tried_regions} to {@code
 * state}, which returns once every scheme has been applied again (≈ one aggregation interval), then
 * reads {@code schemes/<S>/tried_regions/<N>/{start,end,nr_accesses,age}} — unless, with {@code
 * heat.damon.tracepoint} (the default), the {@code damon_aggregated} tracepoint hands each
 * aggregation over as it ends ({@link DamonTracePipe}). paddr uses one scheme and maps physical
 * regions back to (pid, virtual range) through {@code /proc/PID/pagemap} (see {@link PaddrMapper}).
 *
 * <h2>Intervals that follow the workload</h2>
 *
 * The sampling interval is tuned towards {@code heat.accessGoal} (DESIGN.md rule 8), by the kernel
 * where it has {@code intervals_goal} (6.15) and by tierd elsewhere: see {@link DamonIntervals}.
 *
 * <h2>Targets</h2>
 *
 * vaddr targets follow the managed processes, and a target that exits is dropped ({@link
 * DamonTargets}, which also reads the samples back).
 *
 * <p>Probed rather than assumed (versions and commits from damonitor/damo {@code
 * src/_damon_features.py}; the files' meaning from Documentation/admin-guide/mm/damon/usage.rst):
 * {@code avail_operations} (5.19, 0f2cb5885771), {@code commit} (5.19, adc286e6bdd3), {@code
 * tried_regions} (6.2), {@code filters} (6.3, ac35264b9e88), the {@code target} filter type and
 * {@code damon_target_idx} (6.6), {@code apply_interval_us} (6.7), {@code allow} (6.14), {@code
 * core_filters} (6.15), {@code addr_unit} (6.18, 09a616cbb371).
 */
public final class DamonSource implements HeatSource {

  private static final Logger log = LoggerFactory.getLogger(DamonSource.class);

  static final String K = "kdamonds/0/";
  static final String CTX = K + "contexts/0/";

  /** EBUSY retries when another writer holds damon_sysfs_lock: 50 × 20 ms. */
  static final int BUSY_RETRIES = 50;

  static final long BUSY_SLEEP_MS = 20;

  /** Which DAMON operations set. */
  public enum Mode {
    VADDR("vaddr", SourceKind.DAMON_VADDR),
    PADDR("paddr", SourceKind.DAMON_PADDR);

    final String ops;
    final SourceKind kind;

    Mode(String ops, SourceKind kind) {
      this.ops = ops;
      this.kind = kind;
    }

    public SourceKind kind() {
      return kind;
    }

    public static Mode of(SourceKind k) {
      return switch (k) {
        case DAMON_VADDR -> VADDR;
        case DAMON_PADDR -> PADDR;
        default -> throw new IllegalArgumentException(k + " is not a DAMON source");
      };
    }
  }

  private final Mode mode;
  private final TierdKdamond kdamond;
  private final DamonIntervals intervals;
  private final DamonContext context;
  private final DamonTargets targets;

  /** The aggregations as they end (null: read tried regions); see {@link DamonTracePipe}. */
  private DamonTracePipe trace;

  private DamonSource(
      Mode mode,
      DamonFs fs,
      KernelRoot root,
      Path runtimeDir,
      Sleeper sleeper,
      DamonStateFile r,
      IntervalTuner tuner,
      Executor committer) {
    this.kdamond = new TierdKdamond(mode.kind, fs, root, runtimeDir, sleeper, r);
    this.intervals = new DamonIntervals(fs, kdamond::write, kdamond::readLong, tuner, committer);
    this.context = new DamonContext(mode, fs, root, kdamond::write, kdamond::readLong);
    this.targets = new DamonTargets(mode, root, kdamond, context, intervals);
    this.mode = mode;
  }

  /**
   * Removes a previous tierd's leftovers, creates and configures tierd's kdamond, and for paddr
   * turns it on. Fails with {@link HeatSourceUnavailableException} — after undoing whatever it did
   * — when DAMON is used by someone else or lacks a needed feature. {@code accessGoal} is the share
   * of checks that should find an access (0: the intervals stay as configured).
   */
  public static DamonSource open(
      Mode mode,
      DamonConfig config,
      double accessGoal,
      DamonFs fs,
      KernelRoot root,
      Path runtimeDir,
      ProcessId owner,
      Sleeper sleeper) {
    return open(
        mode,
        config,
        accessGoal,
        fs,
        root,
        runtimeDir,
        owner,
        sleeper,
        DamonIntervals.COMMIT_THREAD);
  }

  /** The same with the executor that runs tuned intervals' commits (tests: the caller's thread). */
  static DamonSource open(
      Mode mode,
      DamonConfig config,
      double accessGoal,
      DamonFs fs,
      KernelRoot root,
      Path runtimeDir,
      ProcessId owner,
      Sleeper sleeper,
      Executor committer) {
    DamonLeftovers.Outcome leftover = DamonLeftovers.cleanUp(fs, root, runtimeDir, owner, sleeper);
    if (leftover.blocking()) {
      throw new HeatSourceUnavailableException(mode.kind, leftover.message());
    }
    DamonStatus status = DamonStatus.read(fs, root);
    status
        .busyReason()
        .ifPresent(
            r -> {
              throw new HeatSourceUnavailableException(mode.kind, r);
            });
    DamonStateFile rec = DamonStateFile.creating(owner, mode.ops, config);
    try {
      rec.write(runtimeDir);
    } catch (KernelFsException e) {
      throw new HeatSourceUnavailableException(
          mode.kind, "cannot record DAMON state in " + runtimeDir + ": " + e.getMessage(), e);
    }
    IntervalTuner tuner =
        new IntervalTuner(
            accessGoal,
            config.sampleInterval(),
            config.minSampleInterval(),
            config.maxSampleInterval());
    DamonSource s = new DamonSource(mode, fs, root, runtimeDir, sleeper, rec, tuner, committer);
    boolean created = false;
    try {
      s.kdamond.create();
      created = true;
      s.configure(config);
      if (config.tracepoint()) {
        s.trace = DamonTracePipe.openOrNone(root, s.context.addrUnit(), s.kdamond.kthreadPid());
      }
      return s;
    } catch (HeatSourceUnavailableException e) {
      s.kdamond.abandon(created);
      throw e;
    } catch (KernelFsException | IllegalStateException e) {
      s.kdamond.abandon(created);
      throw new HeatSourceUnavailableException(
          mode.kind, "DAMON setup failed: " + e.getMessage(), e);
    }
  }

  /** DAMON splits and merges its regions, starting from a few large ones per target. */
  @Override
  public boolean regionsAdapt() {
    return true;
  }

  @Override
  public String name() {
    return mode.kind.label();
  }

  public Mode mode() {
    return mode;
  }

  /** Sampling checks per aggregation interval: the {@code maxAccesses} of every sample. */
  public int maxAccesses() {
    return intervals.inForce().maxAccesses();
  }

  /** The sampling interval in force (as last written, or read back from the kernel's tuning). */
  public Duration sampleInterval() {
    return intervals.sampleInterval();
  }

  /** The aggregation interval in force. */
  public Duration aggrInterval() {
    return intervals.aggrInterval();
  }

  /** Who tunes the intervals: {@code kernel} (intervals_goal), {@code tierd}, or {@code fixed}. */
  public String tunedBy() {
    return intervals.tunedBy();
  }

  @Override
  public Optional<Intervals> intervals() {
    return Optional.of(new Intervals(sampleInterval(), aggrInterval(), tunedBy()));
  }

  public boolean running() {
    return kdamond.running();
  }

  /**
   * The kdamond indexes tierd created and still owns (for {@link
   * tierd.heat.select.SourceConflicts#check}): {@code {0}} while open, empty once closed or
   * replaced.
   */
  @Override
  public Set<Integer> ownKdamonds() {
    return kdamond.ownKdamonds();
  }

  /** vaddr: the pid of each target, by target index. */
  public List<Integer> targets() {
    return targets.pids();
  }

  /** The context's layout ({@link DamonContext}), recorded as configured; paddr starts now. */
  private void configure(DamonConfig config) {
    context.configure(config, intervals);
    kdamond.configured();
    if (mode == Mode.PADDR) {
      kdamond.turnOn();
    }
  }

  @Override
  public void update(Collection<ManagedProcess> now) {
    kdamond.checkUsable(name());
    List<Integer> before = targets.pids();
    targets.update(now);
    if (trace != null && !before.equals(targets.pids())) {
      trace.targetsChanged();
    }
  }

  @Override
  public List<RegionSample> collect() {
    return HeatSource.listed(this::collect);
  }

  /** Hands the samples over as they are read (paddr regions map to many virtual runs). */
  @Override
  public void collect(Consumer<RegionSample> out) {
    kdamond.checkUsable(name());
    if (targets.none()) {
      return;
    }
    if (!kdamond.readRunning()) {
      kdamond.running(false); // every target exited: kdamond_need_stop ended the thread
      return;
    }
    intervals.refresh();
    if (collectTraced(out)) {
      return;
    }
    intervals.awaitCommit();
    try {
      kdamond.write(K + "state", "update_schemes_tried_regions");
    } catch (KernelFsException e) {
      if (DamonErrors.invalid(e) && !kdamond.readRunning()) {
        kdamond.running(false);
        return;
      }
      throw e;
    }
    intervals.retune(targets.read(out), kdamond::readRunning);
  }

  /** See {@link HeatSource#surged()}: with the tracepoint, an aggregation that shows a load. */
  @Override
  public boolean surged() {
    return trace != null && trace.usable() && trace.surged(targetCount());
  }

  /**
   * The aggregation that ended next (or already did since the last collect), from the tracepoint;
   * false when it is not in use or nothing came within two aggregation intervals and a second, so
   * that the caller asks for tried regions instead.
   */
  private boolean collectTraced(Consumer<RegionSample> out) {
    if (trace == null || !trace.usable()) {
      return false;
    }
    trace.follow(kdamond.kthreadPid());
    Duration timeout = aggrInterval().multipliedBy(2).plusSeconds(1);
    Optional<List<List<TriedRegion>>> regions = trace.next(targetCount(), timeout);
    if (regions.isEmpty()) {
      log.debug("no traced DAMON aggregation within {}; reading tried regions", timeout);
      return false;
    }
    DamonIntervals.InForce measured = intervals.inForceAt(trace.handedOutSinceNanos());
    intervals.retune(targets.read(regions.get()::get, measured, out), kdamond::readRunning);
    return true;
  }

  /** The kdamond's targets: vaddr's processes, or paddr's one physical address space. */
  private int targetCount() {
    return mode == Mode.VADDR ? targets.pids().size() : 1;
  }

  /**
   * Turns the kdamond off and removes it if it is still tierd's; then forgets the state file.
   * Idempotent ({@link TierdKdamond#close}).
   */
  @Override
  public void close() {
    if (trace != null) {
      trace.close();
    }
    try {
      intervals.awaitCommit();
    } catch (KernelFsException e) {
      log.debug("the last tuned interval's commit failed: {}", e.getMessage());
    }
    kdamond.close();
  }

  @Override
  public String toString() {
    return "DamonSource["
        + mode.ops
        + ", targets="
        + targets.pids()
        + ", running="
        + kdamond.running()
        + "]";
  }
}
