package tierd.nativeio;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * JNA direct mapping ({@link Native#register}) of glibc's {@code long syscall(long number, ...)} in
 * one overload per NUMA call, plus two libc helpers. Direct mapping costs about 1.6 µs a call
 * against 3.5 µs through a JNA interface (shared/DEPENDENCIES.md).
 *
 * <p>{@code syscall(2)} is variadic. Binding it with fixed parameters is sound on the supported
 * LP64 ABIs: glibc's x86_64 and aarch64 {@code syscall} are assembly stubs that move the argument
 * registers into the syscall registers without {@code va_arg}, and every argument here is an
 * integer or a pointer passed in a general-purpose register. Every scalar is passed as a 64-bit
 * {@code long}, which is what {@code syscall} reads; the kernel's {@code SYSCALL_DEFINE} wrappers
 * then narrow {@code int} parameters themselves. Primitive arrays are copied to native memory and
 * back around each call.
 *
 * <p>errno is read with {@link Native#getLastError()} right after the call, on the same thread.
 */
final class LibC {

  static {
    Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  private LibC() {}

  /** Forces class initialisation (the register call) and reports a failure to load. */
  static void init() {}

  // long move_pages(int pid, unsigned long count, void *pages[.count], const int nodes[.count],
  //                 int status[.count], int flags);
  static native long syscall(
      long number, long pid, long count, long[] pages, int[] nodes, int[] status, long flags);

  // long migrate_pages(int pid, unsigned long maxnode, const unsigned long *old_nodes,
  //                    const unsigned long *new_nodes);
  static native long syscall(long number, long pid, long maxnode, long[] oldNodes, long[] newNodes);

  // long mbind(void *addr, unsigned long len, int mode, const unsigned long *nodemask,
  //            unsigned long maxnode, unsigned int flags);
  static native long syscall(
      long number, long addr, long len, long mode, long[] nodemask, long maxnode, long flags);

  // long get_mempolicy(int *mode, unsigned long *nodemask, unsigned long maxnode, void *addr,
  //                    unsigned long flags);
  static native long syscall(
      long number, int[] mode, long[] nodemask, long maxnode, long addr, long flags);

  // long set_mempolicy(int mode, const unsigned long *nodemask, unsigned long maxnode);
  static native long syscall(long number, long mode, long[] nodemask, long maxnode);

  // int getpagesize(void);
  static native int getpagesize();

  // pid_t getpid(void);
  static native int getpid();

  // int execvp(const char *file, char *const argv[]);
  // file: NUL-terminated bytes; argv: a NULL-terminated array of C strings (a JNA StringArray).
  static native int execvp(byte[] file, Pointer argv);

  // int sigprocmask(int how, const sigset_t *set, sigset_t *oldset);
  // In a multi-threaded process glibc's sigprocmask acts on the calling thread (pthread_sigmask).
  static native int sigprocmask(int how, long[] set, long[] oldset);

  // int fcntl(int fd, int cmd, ... /* int arg */);
  // Variadic like syscall: the third argument travels in a general-purpose register.
  static native int fcntl(int fd, int cmd, long arg);
}
