/**
 * Heat from page-table Accessed bits without DAMON, for kernels or hosts where DAMON cannot be used
 * (not built, or taken by another user).
 *
 * <ul>
 *   <li>{@link tierd.heat.accessed.IdlePageSource}: idle-page tracking (CONFIG_IDLE_PAGE_TRACKING,
 *       {@code /sys/kernel/mm/page_idle/bitmap}) with {@code /proc/PID/pagemap} for PFNs and {@code
 *       /proc/kpageflags} for huge-page heads; exact per page, cost linear in resident memory;
 *       needs CAP_SYS_ADMIN.
 *   <li>{@link tierd.heat.accessed.ClearRefsSource}, kind {@code clear-refs+soft-dirty}: writes per
 *       page from soft-dirty bits ({@code clear_refs} 4, pagemap bit 55; CONFIG_MEM_SOFT_DIRTY,
 *       probed on tierd's own page by {@link tierd.heat.accessed.SoftDirtyProbe}), reported per
 *       chunk, plus reads per VMA; it cannot see where read-only hot pages lie inside a VMA.
 *   <li>{@link tierd.heat.accessed.ClearRefsSource}, kind {@code clear-refs}: {@code clear_refs} +
 *       smaps {@code Referenced:}; per VMA; two page-table walks per process per cycle.
 *   <li>{@link tierd.heat.accessed.NumaMapsActiveSource}: numa_maps {@code active=}; per VMA;
 *       read-only; a weak hint (LRU state changes only when reclaim scans).
 * </ul>
 *
 * <p>The binary files ({@link tierd.source.proc.Pagemap}, {@link tierd.heat.accessed.KPageFlags},
 * {@link tierd.heat.accessed.PageIdleBitmap}) are read with {@code FileChannel} positioned reads of
 * whole 8-byte words, in native byte order, as the kernel requires (EINVAL otherwise); no JNA (the
 * soft-dirty probe's own page comes from {@link tierd.nativeio.ProbePage}). The page-granular
 * sources count pages per chunk in {@code Chunks} and share its samples. The first collect of each
 * process only starts its window (marks, clears), so a process's first samples come one cycle after
 * it is first managed.
 */
package tierd.heat.accessed;
