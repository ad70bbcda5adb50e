package tierd.heat.damon;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.Sleeper;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.ProcessId;

/**
 * Finds and removes the kdamond a previous tierd created and did not remove (it crashed or was
 * killed), using the {@link DamonStateFile} it left in the runtime directory.
 *
 * <p>A kdamond is removed only when all of these hold: the recorded owner is dead (pid gone, or
 * reused by a process with another start time); {@code nr_kdamonds} is still 1 (tierd only creates
 * from zero); and {@code kdamonds/0} still carries tierd's fingerprint ({@link #stillOurs}).
 * Otherwise the state file alone is dropped and the kdamond left to whoever now owns it.
 */
public final class DamonLeftovers {

  private static final Logger log = LoggerFactory.getLogger(DamonLeftovers.class);

  private DamonLeftovers() {}

  /** What the start-up check found. */
  public enum Kind {
    /** No state file. */
    NONE,
    /** The recorded kdamond was tierd's and was (or, when inspecting, can be) removed. */
    REMOVED,
    /** The recorded kdamond is not tierd's any more; only the state file was dropped. */
    STALE,
    /** The recorded owner still runs: the kdamond is in use by another tierd. */
    OWNER_ALIVE
  }

  /** The outcome and a line for the log. */
  public record Outcome(Kind kind, String message) {
    public boolean blocking() {
      return kind == Kind.OWNER_ALIVE;
    }
  }

  /** Removes a dead tierd's kdamond and its state file. */
  public static Outcome cleanUp(
      DamonFs fs, KernelRoot root, Path runtimeDir, ProcessId self, Sleeper sleeper) {
    return check(fs, root, runtimeDir, self, sleeper, true);
  }

  /** The same decision without writing anything (for probes). */
  public static Outcome inspect(DamonFs fs, KernelRoot root, Path runtimeDir, ProcessId self) {
    return check(fs, root, runtimeDir, self, Sleeper.none(), false);
  }

  private static Outcome check(
      DamonFs fs, KernelRoot root, Path runtimeDir, ProcessId self, Sleeper sleeper, boolean act) {
    Optional<DamonStateFile> found;
    try {
      found = DamonStateFile.read(runtimeDir);
    } catch (KernelFsException e) {
      if (e.kind() != KernelFsException.Kind.MALFORMED) {
        throw e;
      }
      if (act) {
        log.warn("dropping unreadable DAMON state file: {}", e.getMessage());
        DamonStateFile.delete(runtimeDir);
      }
      return new Outcome(Kind.STALE, "unreadable DAMON state file dropped: " + e.getMessage());
    }
    if (found.isEmpty()) {
      return new Outcome(Kind.NONE, "no DAMON state file");
    }
    DamonStateFile rec = found.get();
    if (rec.owner().equals(self) || Owner.alive(rec.owner(), root)) {
      return new Outcome(
          Kind.OWNER_ALIVE,
          "DAMON busy (kdamond "
              + rec.kdamond()
              + " belongs to a running tierd, pid "
              + rec.owner().pid()
              + ")");
    }
    if (!stillOurs(fs, rec)) {
      if (act) {
        DamonStateFile.delete(runtimeDir);
      }
      return new Outcome(
          Kind.STALE,
          "state file of tierd pid "
              + rec.owner().pid()
              + " dropped: kdamond "
              + rec.kdamond()
              + " is not tierd's any more");
    }
    if (act) {
      if (!remove(fs, rec, sleeper)) {
        return new Outcome(Kind.STALE, "kdamond changed while being removed; left alone");
      }
      DamonStateFile.delete(runtimeDir);
      log.info("removed kdamond {} left by tierd pid {}", rec.kdamond(), rec.owner().pid());
    }
    return new Outcome(
        Kind.REMOVED,
        "removed kdamond " + rec.kdamond() + " left by tierd pid " + rec.owner().pid());
  }

  /**
   * Turns tierd's kdamond off and writes {@code nr_kdamonds} = 0, if it is still tierd's. Returns
   * false, writing nothing, when it is not.
   */
  static boolean remove(DamonFs fs, DamonStateFile rec, Sleeper sleeper) {
    if (!stillOurs(fs, rec)) {
      return false;
    }
    String k = "kdamonds/" + rec.kdamond() + "/";
    if (DamonStatus.parseState(readRetrying(fs, k + "state", sleeper))) {
      try {
        writeRetrying(fs, k + "state", "off", sleeper);
      } catch (KernelFsException e) {
        // EINVAL (no context) or EPERM (thread already gone): it is off.
        if (!DamonErrors.invalid(e) && !DamonErrors.notPermitted(e)) {
          throw e;
        }
      }
    }
    writeRetrying(fs, "kdamonds/nr_kdamonds", "0", sleeper);
    return true;
  }

  /**
   * True when {@code kdamonds/<K>} is still the one the record describes: {@code nr_kdamonds} is K
   * + 1 = 1; while being created, it is off and unconfigured or half configured; once configured,
   * its operations, update interval and region bounds equal the record, its sampling and
   * aggregation intervals are ones the record allows ({@link DamonStateFile#allowsIntervals}),
   * every scheme's action is {@code stat}, and while on its thread pid equals the recorded one
   * (when one was recorded).
   */
  public static boolean stillOurs(DamonFs fs, DamonStateFile rec) {
    try {
      if (!fs.exists("kdamonds/nr_kdamonds")) {
        return false;
      }
      if (DamonStatus.parseCount(fs.read("kdamonds/nr_kdamonds"), "nr_kdamonds")
          != rec.kdamond() + 1) {
        return false;
      }
      String k = "kdamonds/" + rec.kdamond() + "/";
      boolean on = DamonStatus.parseState(fs.read(k + "state"));
      int nrContexts = DamonStatus.parseCount(fs.read(k + "contexts/nr_contexts"), "nr_contexts");
      String ctx = k + "contexts/0/";
      if (rec.phase() == DamonStateFile.Phase.CREATING) {
        if (on) {
          return false;
        }
        if (nrContexts == 0) {
          return true;
        }
        String ops = fs.read(ctx + "operations").strip();
        return ops.equals(rec.operations()) || ops.equals("vaddr"); // vaddr: the kernel default
      }
      if (nrContexts != 1 || !fs.read(ctx + "operations").strip().equals(rec.operations())) {
        return false;
      }
      String attrs = ctx + "monitoring_attrs/";
      if (!rec.allowsIntervals(
              num(fs, attrs + "intervals/sample_us"), num(fs, attrs + "intervals/aggr_us"))
          || num(fs, attrs + "intervals/update_us") != rec.updateUs()
          || num(fs, attrs + "nr_regions/min") != rec.minRegions()
          || num(fs, attrs + "nr_regions/max") != rec.maxRegions()) {
        return false;
      }
      if (on
          && rec.kthreadPid() > 0
          && DamonStatus.parsePid(fs.read(k + "pid")) != rec.kthreadPid()) {
        return false;
      }
      int schemes = DamonStatus.parseCount(fs.read(ctx + "schemes/nr_schemes"), "nr_schemes");
      for (int s = 0; s < schemes; s++) {
        if (!fs.read(ctx + "schemes/" + s + "/action").strip().equals("stat")) {
          return false;
        }
      }
      return true;
    } catch (KernelFsException e) {
      if (e.kind() == KernelFsException.Kind.ABSENT) {
        return false; // the tree changed under us: not provably ours
      }
      throw e;
    }
  }

  private static long num(DamonFs fs, String rel) {
    return DamonStatus.parseCount(fs.read(rel), rel);
  }

  /** Retries EBUSY (another writer holds damon_sysfs_lock) {@value DamonSource#BUSY_RETRIES}×. */
  static void writeRetrying(DamonFs fs, String rel, String value, Sleeper sleeper) {
    for (int attempt = 1; ; attempt++) {
      try {
        fs.write(rel, value);
        return;
      } catch (KernelFsException e) {
        if (!DamonErrors.busy(e) || attempt >= DamonSource.BUSY_RETRIES) {
          throw e.withFile(fs.path(rel));
        }
        sleeper.sleepMillis(DamonSource.BUSY_SLEEP_MS);
      }
    }
  }

  /** Reads of {@code pid} take damon_sysfs_lock with trylock too. */
  static String readRetrying(DamonFs fs, String rel, Sleeper sleeper) {
    for (int attempt = 1; ; attempt++) {
      try {
        return fs.read(rel);
      } catch (KernelFsException e) {
        if (!DamonErrors.busy(e) || attempt >= DamonSource.BUSY_RETRIES) {
          throw e.withFile(fs.path(rel));
        }
        sleeper.sleepMillis(DamonSource.BUSY_SLEEP_MS);
      }
    }
  }
}
