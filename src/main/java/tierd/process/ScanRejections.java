package tierd.process;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.Rejection;

/**
 * What the scans rejected ({@link Rejection}): counted per scan by file and reason, and logged once
 * per process and reason, not every cycle. A process that keeps a broken file is re-read and
 * counted every cycle (the counter's rate shows that it lasts) but named in the log only once; a
 * process that exits is forgotten, so the memory of what was said stays as small as the process
 * list.
 */
final class ScanRejections {

  private static final Logger log = LoggerFactory.getLogger(ProcessScanner.class);

  private record Said(int pid, long startTime, Rejection.Reason reason) {}

  private final Set<Said> said = new HashSet<>();
  private Map<String, Map<String, Long>> counts = new TreeMap<>();

  /** Starts a scan's counts. */
  void startScan() {
    counts = new TreeMap<>();
  }

  /** This scan's counts: file, then reason, then how many processes or VMAs. */
  Map<String, Map<String, Long>> counts() {
    return counts;
  }

  /** Forgets what was said about processes that are gone. */
  void retain(Set<Integer> pids) {
    said.removeIf(s -> !pids.contains(s.pid()));
  }

  /**
   * A whole process left out. {@code startTime} is -1 and {@code comm} null when its stat was not
   * read.
   */
  void process(int pid, long startTime, String comm, Rejection r) {
    count(r);
    if (said.add(new Said(pid, startTime, r.reason()))) {
      log(
          r.reason(),
          "pid {}{} left out: {}; said once for this process",
          pid,
          name(comm),
          r.detail());
    }
  }

  /** Some VMAs of a process left out ({@code total}: its VMAs before). */
  void vmas(int pid, long startTime, String comm, List<Rejection> rejected, int total) {
    for (Rejection r : rejected) {
      count(r);
    }
    for (Rejection.Reason reason : Rejection.Reason.values()) {
      List<Rejection> of = rejected.stream().filter(r -> r.reason() == reason).toList();
      if (!of.isEmpty() && said.add(new Said(pid, startTime, reason))) {
        log(
            reason,
            "pid {}{}: {} of {} VMAs left out ({}, {}), e.g. {}; said once for this process",
            pid,
            name(comm),
            of.size(),
            total,
            reason.label(),
            of.get(0).file(),
            of.get(0).detail());
      }
    }
  }

  private void count(Rejection r) {
    counts.computeIfAbsent(r.file(), f -> new TreeMap<>()).merge(r.reason().label(), 1L, Long::sum);
  }

  private static String name(String comm) {
    return comm == null ? "" : " (" + comm + ")";
  }

  /** A race between two reads is routine (INFO); anything else means a broken file (WARN). */
  private static void log(Rejection.Reason reason, String format, Object... args) {
    if (reason == Rejection.Reason.UNMATCHED) {
      log.info(format, args);
    } else {
      log.warn(format, args);
    }
  }
}
