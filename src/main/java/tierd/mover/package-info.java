/**
 * Moving pages between NUMA nodes: the {@link tierd.mover.PageMover} port, the real {@link
 * tierd.mover.MovePagesMover} over {@code move_pages(2)}, and the {@link tierd.mover.DryRunMover}.
 *
 * <p>Vocabulary:
 *
 * <ul>
 *   <li>a <em>request</em> ({@link tierd.mover.MoveRequest}) names a process (pid + start time),
 *       address ranges, the <em>source nodes</em> pages must be on to move, the <em>target
 *       node</em>, the page unit (4 KiB, or 2 MiB for a THP-backed VMA: one address per folio), and
 *       the <em>planned pages</em>: at most that many move, whatever else the ranges hold;
 *   <li>the <em>port</em> ({@link tierd.mover.PagesPort}) is the kernel call itself; the mover
 *       talks to nothing else, so the fake kernel of the tests and the real one are
 *       interchangeable;
 *   <li>a <em>placement query</em> ({@link tierd.mover.PlacementQuery}) asks the port where the
 *       present pages of a range are ({@code nodes == NULL}), for the daemon's placement probe;
 *   <li>every page named ends in one {@link tierd.mover.Outcome}; a {@link tierd.mover.Tally}
 *       counts them and the bytes moved; a {@link tierd.mover.MoveReport} adds the calls made, the
 *       longest call, the nodes stopped by back-pressure and the processes dropped.
 * </ul>
 *
 * <p>Invariants: a page is only moved if a query just before found it on a source node (never
 * between two nodes of the same tier, never off a node tierd did not mean); one call stays under
 * the configured bound (default 20 ms) by adaptive batch size; ENOMEM on a node stops further moves
 * to it for the call; a process that is gone (ESRCH) or was replaced by pid reuse is dropped; busy
 * pages are retried at most once. Units: addresses and sizes in bytes, counts in request pages,
 * durations from an injected {@link tierd.mover.Ticker}.
 *
 * <p>Dependencies: {@code tierd.nativeio} for {@link tierd.nativeio.Errno}, the capability probe
 * and the JNA-backed {@link tierd.mover.KernelPagesPort}; nothing here imports JNA. The daemon gets
 * its mover and placement query from {@link tierd.mover.PageMovers#onHost} and never touches {@code
 * tierd.nativeio} itself.
 */
package tierd.mover;
