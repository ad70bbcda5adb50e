package tierd.source.proc;

import java.util.OptionalLong;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * {@code /proc/<pid>/stat}: the fields tierd needs from {@code do_task_stat()} in fs/proc/array.c
 * (proc(5)): comm, state, ppid, flags and start time.
 *
 * <p>The comm field is in parentheses and may itself contain spaces and parentheses, so the fields
 * after it are counted from the <em>last</em> {@code ')'}. The start time (field 22, clock ticks
 * since boot) together with the pid identifies a process across pid reuse.
 */
public record ProcStat(
    int pid, String comm, char state, int ppid, long flags, long startTimeTicks) {

  /** PF_KTHREAD in include/linux/sched.h. */
  public static final long PF_KTHREAD = 0x00200000L;

  public boolean isKernelThread() {
    return (flags & PF_KTHREAD) != 0;
  }

  public boolean isZombie() {
    return state == 'Z' || state == 'X';
  }

  /**
   * The start time of the live process {@code pid}, or empty when there is none: no {@code stat}
   * file (it exited), or a zombie (it has no address space left). The one place that tells whether
   * a pid still names a live process; {@link tierd.model.ProcessId#isStartTimeOf} compares it.
   */
  public static OptionalLong liveStartTimeTicks(KernelRoot root, int pid) {
    try {
      ProcStat stat = read(root, pid);
      return stat.isZombie() ? OptionalLong.empty() : OptionalLong.of(stat.startTimeTicks());
    } catch (KernelFsException e) {
      if (e.kind() == KernelFsException.Kind.ABSENT) {
        return OptionalLong.empty();
      }
      throw e;
    }
  }

  public static ProcStat read(KernelRoot root, int pid) {
    var path = root.pid(pid, "stat");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static ProcStat parse(String text) {
    String s = text.strip();
    int open = s.indexOf(" (");
    int close = s.lastIndexOf(')');
    if (open <= 0 || close < open) {
      throw KernelFsException.malformed(1, abbreviate(s), "expected 'pid (comm) state ...'");
    }
    int pid = Parse.unsignedInt(s, 0, open, 1, "pid");
    String comm = s.substring(open + 2, close);
    // Token k after the comm is field k + 3 (state is field 3). Only fields 3, 4, 9 and 22 are
    // needed: their bounds are found in place instead of splitting all ~50 fields into strings
    // (stat is read for every pid on the host every cycle).
    int[] at = new int[40];
    int n = s.length();
    int pos = close + 1;
    int k = 0;
    while (k < 20) {
      int from = Parse.skipBlanks(s, pos, n);
      if (from == n) {
        break;
      }
      pos = Parse.tokenEnd(s, from, n);
      at[2 * k] = from;
      at[2 * k + 1] = pos;
      k++;
    }
    if (k < 20) {
      throw KernelFsException.malformed(1, abbreviate(s), "expected at least 22 fields");
    }
    if (at[1] - at[0] != 1) {
      throw KernelFsException.malformed(
          1, s.substring(at[0], at[1]), "state must be one character");
    }
    int ppid = Parse.unsignedInt(s, at[2], at[3], 1, "ppid");
    long flags = Parse.unsigned(s, at[12], at[13], 1, "flags");
    long start = Parse.unsigned(s, at[38], at[39], 1, "starttime");
    return new ProcStat(pid, comm, s.charAt(at[0]), ppid, flags, start);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) : s;
  }
}
