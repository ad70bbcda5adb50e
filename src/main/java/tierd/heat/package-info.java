/**
 * Hotness detection behind one interface (DESIGN.md rule 4): a {@link tierd.heat.HeatSource}
 * produces {@link tierd.heat.RegionSample}s, and scoring, planning and moving never learn which
 * kernel mechanism produced them.
 *
 * <h2>Vocabulary and units</h2>
 *
 * <ul>
 *   <li><em>region</em>: a byte range {@code [start, end)} of one process's virtual memory (pid),
 *       the unit a sample describes;
 *   <li><em>nrAccesses / maxAccesses</em>: how many of the source's checks in the window found the
 *       region accessed. {@code accessFraction()} = nrAccesses / maxAccesses, in [0, 1], depends on
 *       how long one check watches ({@code checkInterval}: DAMON's sampling interval, or the whole
 *       window for sources that check each page once per window); {@code accessRatePerSecond()}
 *       turns it into accesses per second per page, which is comparable across sources and across
 *       interval settings, and is what scoring uses;
 *   <li><em>access goal</em>: the share of checks that should find an access; {@link
 *       tierd.heat.IntervalTuner} moves the check interval towards it within bounds (DAMON's {@code
 *       intervals_goal});
 *   <li><em>window</em>: the time the checks cover; <em>age</em>: how long the region's access
 *       level has stayed about the same (DAMON's age × aggregation interval; tracked by tierd for
 *       the other sources, reset when the level changes by a quarter or more).
 * </ul>
 *
 * <h2>Sources: granularity, cost, side effects</h2>
 *
 * <table>
 *   <caption>Sources, best first</caption>
 *   <tr><th>label</th><th>what a check is</th><th>granularity</th><th>cost per cycle</th>
 *       <th>clears Accessed bits</th></tr>
 *   <tr><td>damon-vaddr</td><td>one sampled page per region per sampling interval
 *       (maxAccesses = aggr/sample, 10 by default)</td><td>DAMON regions (adaptive,
 *       min..max regions per target)</td><td>bounded by the region count, independent of memory
 *       size; one kernel thread; collect takes the last aggregation that ended, or waits for the
 *       one in progress (at most 2 s)</td><td>yes, of
 *       sampled pages</td></tr>
 *   <tr><td>damon-paddr</td><td>the same, over physical memory</td><td>regions mapped back to
 *       virtual runs through pagemap</td><td>DAMON's, plus one 8-byte pagemap entry per managed
 *       virtual page per collect</td><td>yes, of all memory</td></tr>
 *   <tr><td>idle-page</td><td>one page: accessed since the last mark or not</td><td>one
 *       page, reported per {@code chunkBytes} chunk (2 MiB)</td><td>linear in resident memory:
 *       pagemap + kpageflags reads and an rmap walk per page (bitmap read and write)</td>
 *       <td>yes, of managed pages</td></tr>
 *   <tr><td>clear-refs</td><td>one resident page: referenced since the last clear
 *       (smaps)</td><td>VMA</td><td>two page-table walks per process (smaps, clear_refs) and
 *       a TLB flush</td><td>yes, of the whole process</td></tr>
 *   <tr><td>numa-maps-active</td><td>one present page: on the active LRU</td><td>VMA</td>
 *       <td>one page-table walk per process (numa_maps)</td><td>no; a weak hint of reclaim
 *       aging, not of accesses in the window</td></tr>
 * </table>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Sources probe files, never kernel versions; what they need and lack is said in one line by
 *       {@link tierd.heat.select.SourceChooser} and {@link tierd.heat.select.HeatSources}.
 *   <li>A kdamond tierd did not create is never written to (see {@link
 *       tierd.heat.damon.DamonSource}); what tierd creates is recorded in the runtime directory and
 *       removed on close or, after a crash, on the next start.
 *   <li>Conflicts ({@link tierd.heat.select.SourceConflicts}) are values; the daemon turns them
 *       into a metric labelled by {@link tierd.heat.select.Conflict.Type} and a log line.
 * </ul>
 *
 * <p>User documentation: {@code docs/heat-sources.md}.
 */
package tierd.heat;
