package tierd.mover;

import tierd.nativeio.NumaSyscalls;
import tierd.nativeio.SyscallResult;

/**
 * {@link PagesPort} on the running kernel: {@code move_pages(2)} through {@link NumaSyscalls} (JNA
 * direct mapping of {@code syscall(2)}). Node ids are range-checked there before they become C
 * ints.
 */
public final class KernelPagesPort implements PagesPort {

  private final NumaSyscalls sys;

  public KernelPagesPort(NumaSyscalls sys) {
    this.sys = sys;
  }

  @Override
  public SyscallResult movePages(
      int pid, long[] pages, int[] nodesOrNull, int[] status, int flags) {
    return sys.move_pages(pid, pages, nodesOrNull, status, flags);
  }
}
