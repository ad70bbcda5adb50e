package tierd.nativeio;

import com.sun.jna.Native;
import com.sun.jna.StringArray;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * Replacing the calling process's image with another program, from inside a JVM: {@code execvp(3)}
 * and the two pieces of thread state a JVM leaves that the new program would otherwise inherit.
 *
 * <ul>
 *   <li>The signal mask is per thread and survives {@code execve(2)}; HotSpot blocks some signals
 *       (SIGQUIT, the thread-dump signal) in its Java threads. {@link #unblockAllSignals()} clears
 *       the calling thread's mask right before the exec, as {@code env} would have it.
 *   <li>Descriptors the JVM opened without {@code O_CLOEXEC} (the jar it runs from) stay open
 *       across the exec; {@link #fcntl_setCloexec(int)} marks one to close.
 * </ul>
 *
 * <p>Everything here acts on the calling thread: a memory policy set with {@code set_mempolicy} on
 * this thread is what the new program starts with, because {@code execve} keeps the exec'ing
 * thread's task (and its pid) and ends the JVM's other threads (fs/exec.c, {@code de_thread}).
 */
public final class ProcessImage {

  // <signal.h>
  private static final int SIG_SETMASK = 2;
  // sigset_t is 1024 bits in glibc (_SIGSET_NWORDS = 1024 / (8 * sizeof (unsigned long))).
  private static final int SIGSET_WORDS = 16;
  // <fcntl.h>
  private static final int F_GETFD = 1;
  private static final int F_SETFD = 2;
  private static final int FD_CLOEXEC = 1;

  /** Arguments are encoded the way the JVM decoded its own command line. */
  private final Charset argumentCharset;

  private ProcessImage(Charset argumentCharset) {
    this.argumentCharset = argumentCharset;
  }

  /**
   * Loads libc through JNA.
   *
   * @throws LinkageError when JNA cannot load its native part or libc
   */
  public static ProcessImage load() {
    LibC.init();
    String jnu = System.getProperty("sun.jnu.encoding");
    return new ProcessImage(jnu == null ? Charset.defaultCharset() : Charset.forName(jnu));
  }

  /**
   * {@code int execvp(const char *file, char *const argv[]);} Searches {@code PATH} for {@code
   * file} unless it contains a slash. Returns only on failure: ENOENT when nothing was found,
   * EACCES or ENOEXEC when something was found that cannot run.
   *
   * @param argv the new program's argv, {@code argv[0]} included; not empty
   */
  public SyscallResult execvp(String file, List<String> argv) {
    Objects.requireNonNull(file, "file");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv needs at least argv[0]");
    }
    byte[] path = file.getBytes(argumentCharset);
    byte[] cPath = new byte[path.length + 1];
    System.arraycopy(path, 0, cPath, 0, path.length);
    StringArray cArgv = new StringArray(argv.toArray(new String[0]), argumentCharset.name());
    int r = LibC.execvp(cPath, cArgv);
    return SyscallResult.of(r, Native.getLastError());
  }

  /**
   * {@code sigprocmask(SIG_SETMASK, <empty set>, old)} on the calling thread.
   *
   * @return the mask it replaced, for {@link #restoreSignals(long[])} if the exec fails
   */
  public long[] unblockAllSignals() {
    long[] old = new long[SIGSET_WORDS];
    int r = LibC.sigprocmask(SIG_SETMASK, new long[SIGSET_WORDS], old);
    if (r < 0) {
      throw new IllegalStateException(
          "sigprocmask: " + Errno.describe(Native.getLastError()) + " (a bug in tierd)");
    }
    return old;
  }

  /** Puts back a mask {@link #unblockAllSignals()} returned. */
  public void restoreSignals(long[] mask) {
    LibC.sigprocmask(SIG_SETMASK, mask, null);
  }

  /** {@code fcntl(fd, F_SETFD, flags | FD_CLOEXEC)}: the descriptor closes on exec. */
  public SyscallResult fcntl_setCloexec(int fd) {
    int flags = LibC.fcntl(fd, F_GETFD, 0);
    if (flags < 0) {
      return SyscallResult.failed(Native.getLastError());
    }
    int r = LibC.fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    return SyscallResult.of(r, Native.getLastError());
  }
}
