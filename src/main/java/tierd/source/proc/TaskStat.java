package tierd.source.proc;

import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * {@code /proc/<pid>/task/<tid>/stat}: the CPU time and the last CPU of one thread, from {@code
 * do_task_stat()} in fs/proc/array.c (proc(5)): {@code utime} (field 14) and {@code stime} (field
 * 15) in clock ticks, and {@code processor} (field 39), the CPU the thread last ran on.
 *
 * <p>The format is that of {@code /proc/<pid>/stat} ({@link ProcStat}): the comm in parentheses may
 * hold spaces and parentheses, so fields are counted from the last {@code ')'}.
 */
public record TaskStat(int tid, long utimeTicks, long stimeTicks, int processor) {

  /** Token of field {@code f} after the comm: state (field 3) is token 0. */
  private static final int UTIME = 14 - 3;

  private static final int STIME = 15 - 3;
  private static final int PROCESSOR = 39 - 3;

  /** User plus system time, in clock ticks. */
  public long cpuTicks() {
    return utimeTicks + stimeTicks;
  }

  public static TaskStat read(KernelRoot root, int pid, int tid) {
    var path = root.pid(pid, "task/" + tid + "/stat");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static TaskStat parse(String text) {
    String s = text.strip();
    int open = s.indexOf(" (");
    int close = s.lastIndexOf(')');
    if (open <= 0 || close < open) {
      throw KernelFsException.malformed(1, abbreviate(s), "expected 'tid (comm) state ...'");
    }
    int tid = Parse.unsignedInt(s, 0, open, 1, "tid");
    int n = s.length();
    int pos = close + 1;
    long utime = -1;
    long stime = -1;
    for (int token = 0; token <= PROCESSOR; token++) {
      int from = Parse.skipBlanks(s, pos, n);
      if (from == n) {
        throw KernelFsException.malformed(
            1, abbreviate(s), "expected at least " + (PROCESSOR + 3) + " fields (processor)");
      }
      pos = Parse.tokenEnd(s, from, n);
      if (token == UTIME) {
        utime = Parse.unsigned(s, from, pos, 1, "utime");
      } else if (token == STIME) {
        stime = Parse.unsigned(s, from, pos, 1, "stime");
      } else if (token == PROCESSOR) {
        return new TaskStat(tid, utime, stime, Parse.unsignedInt(s, from, pos, 1, "processor"));
      }
    }
    throw new AssertionError("unreachable");
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) : s;
  }
}
