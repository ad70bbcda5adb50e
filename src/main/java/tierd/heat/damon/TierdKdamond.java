package tierd.heat.damon;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.Sleeper;
import tierd.heat.SourceKind;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;

/**
 * The kdamond tierd created ({@code kdamonds/0}) for a {@link DamonSource}, across its life: the
 * {@link DamonStateFile} that records it for crash safety, turning it on and off, checking before
 * each cycle's writes that it is still tierd's, and removing it. Every read and write is retried
 * while another writer holds {@code damon_sysfs_lock} (EBUSY).
 *
 * <p>Once the kdamond has stopped by itself (every target exited), anyone may rewrite {@code
 * nr_kdamonds} and configure a kdamond 0 of their own; tierd then never writes to it again: it is
 * <em>lost</em>, and the source unavailable.
 */
final class TierdKdamond {

  private static final Logger log = LoggerFactory.getLogger(DamonSource.class);

  private final SourceKind kind;
  private final DamonFs fs;
  private final KernelRoot root;
  private final Path runtimeDir;
  private final Sleeper sleeper;
  private DamonStateFile record;
  private boolean running;
  private boolean closed;
  private boolean lost;

  TierdKdamond(
      SourceKind kind,
      DamonFs fs,
      KernelRoot root,
      Path runtimeDir,
      Sleeper sleeper,
      DamonStateFile record) {
    this.kind = kind;
    this.fs = fs;
    this.root = root;
    this.runtimeDir = runtimeDir;
    this.sleeper = sleeper;
    this.record = record;
  }

  /**
   * Creates kdamond 0 by writing {@code nr_kdamonds} = 1, but only while it still reads 0 (the
   * write recreates every kdamond directory, so it is re-read right before); another user's kdamond
   * makes tierd's source unavailable, named.
   */
  void create() {
    if (DamonStatus.parseCount(fs.read("kdamonds/nr_kdamonds"), "nr_kdamonds") != 0) {
      throw new HeatSourceUnavailableException(
          kind, DamonStatus.read(fs, root).busyReason().orElse("DAMON busy (kdamond appeared)"));
    }
    try {
      write("kdamonds/nr_kdamonds", "1");
    } catch (KernelFsException e) {
      if (DamonErrors.busy(e)) {
        throw new HeatSourceUnavailableException(
            kind,
            DamonStatus.read(fs, root)
                .busyReason()
                .orElse("DAMON busy (nr_kdamonds refused: EBUSY)"),
            e);
      }
      throw e;
    }
  }

  /** Records that the context is configured (the state file's phase). */
  void configured() {
    record = record.withPhase(DamonStateFile.Phase.CONFIGURED);
    record.write(runtimeDir);
  }

  /** Whether it was running when last turned on, off, or read. */
  boolean running() {
    return running;
  }

  /** What {@link DamonSource} found out about it (a read, or the kernel stopping it). */
  void running(boolean nowRunning) {
    running = nowRunning;
  }

  /** Reads whether the kernel runs it now. */
  boolean readRunning() {
    return DamonStatus.parseState(readRetrying(DamonSource.K + "state"));
  }

  /** The kdamond thread's pid as last read when turned on; -1 before. */
  int kthreadPid() {
    return record.kthreadPid();
  }

  /** {@code {0}} while open, empty once closed or lost. */
  Set<Integer> ownKdamonds() {
    return closed || lost ? Set.of() : Set.of(record.kdamond());
  }

  void turnOn() {
    // A DAMON module's kdamond (DAMON_RECLAIM, DAMON_LRU_SORT) runs exclusively: "on" would only
    // fail with EBUSY after the retries. It may start whenever tierd's kdamond is off.
    List<DamonModules.ModuleKdamond> modules = DamonModules.read(root);
    if (!modules.isEmpty()) {
      throw new HeatSourceUnavailableException(kind, modules.get(0).busyReason());
    }
    if (record.kthreadPid() != -1) {
      // Until the new thread's pid is recorded, a leftover is recognised by its config alone.
      record = record.withKthreadPid(-1);
      record.write(runtimeDir);
    }
    write(DamonSource.K + "state", "on");
    running = true;
    int kthread = DamonStatus.parsePid(readRetrying(DamonSource.K + "pid"));
    if (kthread != record.kthreadPid()) {
      record = record.withKthreadPid(kthread);
      record.write(runtimeDir);
    }
  }

  void turnOff() {
    try {
      write(DamonSource.K + "state", "off");
    } catch (KernelFsException e) {
      if (!DamonErrors.invalid(e) && !DamonErrors.notPermitted(e)) {
        throw e; // EINVAL/EPERM: already stopped
      }
    }
    running = false;
  }

  /**
   * Before a cycle's writes: fails when the source was closed, or when the kdamond is no longer
   * tierd's (then the state file goes: nothing of tierd's is left in DAMON). A few sysfs reads.
   *
   * @param name the source's name, for the message
   */
  void checkUsable(String name) {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    if (lost) {
      throw new HeatSourceUnavailableException(kind, lostMessage());
    }
    if (!DamonLeftovers.stillOurs(fs, record)) {
      lost = true;
      running = false;
      DamonStateFile.delete(runtimeDir);
      throw new HeatSourceUnavailableException(kind, lostMessage());
    }
  }

  /**
   * Turns the kdamond off and removes it if it is still tierd's; then forgets the state file.
   * Idempotent. If the kdamond cannot be removed the state file stays, so that the next start
   * retries.
   */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (lost) {
      return;
    }
    boolean removed = false;
    try {
      removed = DamonLeftovers.remove(fs, record, sleeper);
    } catch (KernelFsException e) {
      log.warn("could not remove tierd's kdamond: {}", e.getMessage());
    }
    if (removed || !DamonLeftovers.stillOurs(fs, record)) {
      DamonStateFile.delete(runtimeDir);
    }
    running = false;
  }

  /** Undo after a failed open: off, nr_kdamonds 0 if tierd created it, state file gone. */
  void abandon(boolean created) {
    closed = true;
    try {
      if (created) {
        DamonLeftovers.remove(fs, record, sleeper);
      }
    } catch (KernelFsException e) {
      log.warn("could not undo DAMON setup: {}", e.getMessage());
      return; // keep the state file: the next start cleans up
    }
    DamonStateFile.delete(runtimeDir);
  }

  /** A write, retried while another writer holds damon_sysfs_lock (EBUSY). */
  void write(String rel, String value) {
    DamonLeftovers.writeRetrying(fs, rel, value, sleeper);
  }

  long readLong(String rel) {
    return DamonStatus.parseCount(readRetrying(rel), rel);
  }

  private String readRetrying(String rel) {
    return DamonLeftovers.readRetrying(fs, rel, sleeper);
  }

  private String lostMessage() {
    return "DAMON busy (tierd's kdamond "
        + record.kdamond()
        + " was replaced by another DAMON user)";
  }
}
