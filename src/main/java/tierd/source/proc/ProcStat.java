package tierd.source.proc;

import java.util.List;
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
    int pid = Parse.unsignedInt(s.substring(0, open), 1, "pid");
    String comm = s.substring(open + 2, close);
    List<String> rest = Parse.fields(s.substring(close + 1));
    // rest[0] is field 3 (state); field N is rest[N - 3].
    if (rest.size() < 20) {
      throw KernelFsException.malformed(1, abbreviate(s), "expected at least 22 fields");
    }
    String state = rest.get(0);
    if (state.length() != 1) {
      throw KernelFsException.malformed(1, state, "state must be one character");
    }
    int ppid = Parse.unsignedInt(rest.get(1), 1, "ppid");
    long flags = Parse.unsigned(rest.get(6), 1, "flags");
    long start = Parse.unsigned(rest.get(19), 1, "starttime");
    return new ProcStat(pid, comm, state.charAt(0), ppid, flags, start);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) : s;
  }
}
