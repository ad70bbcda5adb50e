/**
 * Heat from page-table Accessed bits without DAMON, for kernels or hosts where DAMON cannot be used
 * (not built, or taken by another user).
 *
 * <ul>
 *   <li>{@link tierd.heat.accessed.IdlePageSource}: idle-page tracking (CONFIG_IDLE_PAGE_TRACKING,
 *       {@code /sys/kernel/mm/page_idle/bitmap}) with {@code /proc/PID/pagemap} for PFNs and {@code
 *       /proc/kpageflags} for huge-page heads; exact per page, cost linear in resident memory;
 *       needs CAP_SYS_ADMIN.
 *   <li>{@link tierd.heat.accessed.ClearRefsSource}: {@code clear_refs} + smaps {@code
 *       Referenced:}; per VMA; two page-table walks per process per cycle.
 *   <li>{@link tierd.heat.accessed.NumaMapsActiveSource}: numa_maps {@code active=}; per VMA;
 *       read-only; a weak hint (LRU state changes only when reclaim scans).
 * </ul>
 *
 * <p>The binary files ({@link tierd.source.proc.Pagemap}, {@link tierd.heat.accessed.KPageFlags},
 * {@link tierd.heat.accessed.PageIdleBitmap}) are read with {@code FileChannel} positioned reads of
 * whole 8-byte words, in native byte order, as the kernel requires (EINVAL otherwise); no JNA. The
 * first collect of each process only starts its window (marks, clears), so a process's first
 * samples come one cycle after it is first managed.
 */
package tierd.heat.accessed;
