package tierd.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.Rejection;

/**
 * The counts of one scan ({@link ProcessScanner.Result}), and its per-process failure boundary
 * ({@link #attempt}): a step that fails skips its process only, counted by why, and the scan goes
 * on with the next.
 */
final class ScanTally {

  /** Logged as the scanner's, like {@link ScanRejections}. */
  private static final Logger log = LoggerFactory.getLogger(ProcessScanner.class);

  /** The most error texts one scan keeps for its report. */
  private static final int MAX_ERRORS = 20;

  private final ScanRejections rejections;

  int examined;
  int filtered;
  int gone;
  int denied;
  int malformed;
  int leftOutProcesses;
  long leftOutVmas;
  long leftOutRssBytes;
  final List<String> errors = new ArrayList<>();

  ScanTally(ScanRejections rejections) {
    this.rejections = rejections;
  }

  /**
   * Runs one process's step; a failure skips that process only. A vanished or unreadable file is
   * routine; a malformed one, or any other exception (a bug in tierd), is counted, kept for the
   * report and logged once for the process. {@code c} is null before the process's stat was read.
   */
  void attempt(int pid, Candidate c, Runnable step) {
    try {
      step.run();
    } catch (KernelFsException e) {
      switch (e.kind()) {
        case ABSENT -> gone++;
        case PERMISSION -> denied++;
        case TOO_LARGE ->
            reject(
                pid,
                c,
                Rejection.fileLabel(e.file()),
                Rejection.Reason.TOO_LARGE,
                e.getMessage() + ", the most this heap reads at once (a larger -Xmx raises it)");
        default ->
            reject(
                pid, c, Rejection.fileLabel(e.file()), Rejection.Reason.MALFORMED, e.getMessage());
      }
    } catch (RuntimeException e) {
      log.debug("reading pid {} failed", pid, e);
      reject(pid, c, "other", Rejection.Reason.ERROR, e.toString());
    }
  }

  private void reject(int pid, Candidate c, String file, Rejection.Reason reason, String detail) {
    malformed++;
    if (errors.size() < MAX_ERRORS) {
      errors.add(detail);
    }
    rejections.process(
        pid,
        c == null ? -1 : c.stat().startTimeTicks(),
        c == null ? null : c.stat().comm(),
        new Rejection(file, reason, detail));
  }

  /**
   * The scan's result: these counts, with the processes it tracks, how many of them had their
   * numa_maps read ({@code numaMapsRead}, the others kept theirs) and what it rejected.
   */
  ProcessScanner.Result result(
      List<ManagedProcess> processes, int numaMapsRead, Map<String, Map<String, Long>> rejected) {
    return new ProcessScanner.Result(
        processes,
        examined,
        filtered,
        gone,
        denied,
        malformed,
        errors,
        numaMapsRead,
        processes.size() - numaMapsRead,
        rejected,
        leftOutProcesses,
        leftOutVmas,
        leftOutRssBytes);
  }

  /** Whether the VMA limit left processes or VMAs out. */
  boolean leftSomethingOut() {
    return leftOutProcesses > 0 || leftOutVmas > 0;
  }
}
