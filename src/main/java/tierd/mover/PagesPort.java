package tierd.mover;

import tierd.nativeio.SyscallResult;

/**
 * The kernel call the mover drives: {@code move_pages(2)} on another process's address space.
 * Implemented by {@link KernelPagesPort} (the real kernel, through {@code tierd.nativeio}) and by
 * the fake kernel of the tests; one contract test suite runs against both.
 *
 * <p>Semantics are the kernel's (mm/migrate.c {@code kernel_move_pages}, man2/move_pages.2):
 *
 * <ul>
 *   <li>{@code nodesOrNull == null} queries: {@code status[i]} becomes the node of page {@code i},
 *       or {@code -ENOENT} (not present), {@code -EFAULT} (not mapped, or the zero page);
 *   <li>otherwise page {@code i} moves to {@code nodesOrNull[i]}; {@code status[i]} becomes the
 *       node the page is on afterwards or a negated errno ({@code -EBUSY}, {@code -EACCES} for a
 *       shared page without {@code MPOL_MF_MOVE_ALL}, ...);
 *   <li>a non-negative result is the number of pages <em>not</em> migrated; the status entries of
 *       pages the kernel gave up on are left untouched, so callers pre-fill a sentinel and
 *       re-query;
 *   <li>a failed result carries the call's errno: {@code ESRCH}, {@code EPERM}, {@code EACCES}
 *       (target outside the task's cpuset), {@code ENODEV} (target offline), {@code ENOMEM}, {@code
 *       EINVAL}.
 * </ul>
 *
 * <p>Memory policy (mbind, set_mempolicy) does <em>not</em> constrain the target: deciding what may
 * move is the planner's job. Units: one user virtual address (bytes) per page; the page is the base
 * page or a whole folio (THP, hugetlb), which moves as one unit whichever of its addresses is
 * named.
 */
public interface PagesPort {

  /**
   * {@code move_pages(pid, pages.length, pages, nodesOrNull, status, flags)}.
   *
   * @param pid the target process, 0 for the caller
   * @param flags {@code MPOL_MF_MOVE} or {@code MPOL_MF_MOVE_ALL} ({@link tierd.nativeio.Mpol}),
   *     ignored when querying
   */
  SyscallResult movePages(int pid, long[] pages, int[] nodesOrNull, int[] status, int flags);

  /** Queries the node of each page ({@code nodes == NULL}); status as in {@link #movePages}. */
  default SyscallResult queryNodes(int pid, long[] pages, int[] status) {
    return movePages(pid, pages, null, status, 0);
  }
}
