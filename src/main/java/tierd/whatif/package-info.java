/**
 * What-if tiers: a simulated two-tier topology on a host with one memory tier, so that the planner
 * can say what it would move if part of the memory were slow (CXL, PMEM). Pure: a real topology and
 * the processes as read in, their simulated counterparts out. Nothing here, nor anything the cycle
 * does with it, ever moves a page: a what-if plan goes to the dry-run recorder (see {@code
 * tierd.daemon.TieringCycle}).
 *
 * <p>The simulation, node by node (for a host with several nodes in its one tier, the fast size is
 * shared out in proportion to the nodes' sizes):
 *
 * <ul>
 *   <li>real node N keeps its id, CPUs and distances and becomes the fast part, of the given size;
 *       a new CPU-less node (ids after the highest real one) is its slow part, with the rest of N's
 *       memory, at distance d(N, M) + 10 from every node M, without HMAT data;
 *   <li>watermarks are N's, scaled by each part's share of N (the kernel sizes them by zone size);
 *   <li>fill: the kernel's allocator takes pages from the local node until its free memory falls to
 *       the low watermark, then falls back to the next node; so the fast part holds N's used memory
 *       up to its size less its low watermark, and the slow part the rest;
 *   <li>which pages: every VMA's pages on N are shared between the two parts in that same
 *       proportion (fast pages rounded down). The split does not look at heat or addresses, so it
 *       does not pre-judge the answer (putting the hottest bytes on the fast part first would hide
 *       the promotions tierd exists for; address order would make the plan depend on the mmap
 *       layout), and it matches the planner's own estimate of where a part of a VMA sits (pro rata
 *       of the VMA's pages per node);
 *   <li>cpusets and Mems_allowed that name N name its slow part too (on a host with that memory
 *       they would list it); VMA policies keep their nodes, so a VMA bound to N stays on the fast
 *       part, as a real binding would.
 * </ul>
 */
package tierd.whatif;
