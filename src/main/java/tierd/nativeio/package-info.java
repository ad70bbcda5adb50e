/**
 * The native boundary: the only package that imports {@code com.sun.jna}.
 *
 * <p>Syscalls keep their C names ({@code move_pages}, {@code migrate_pages}, {@code mbind}, {@code
 * get_mempolicy}, {@code set_mempolicy}) and C constants keep their C spelling ({@code
 * MPOL_MF_MOVE}, {@code EBUSY}). Each binding carries its C prototype in a comment. The calls go
 * through glibc's {@code syscall(2)} with per-architecture numbers ({@link
 * tierd.nativeio.SyscallTable}), because glibc has no wrappers for them (libnuma does, and tierd
 * does not depend on libnuma).
 *
 * <p>Units and conventions:
 *
 * <ul>
 *   <li>addresses and lengths are bytes, held in a Java {@code long} (LP64: {@code void *} and
 *       {@code unsigned long} are 64 bits on every supported architecture);
 *   <li>node ids are checked to be in {@code [0, NodeSet.MAX_NUMNODES)} before they become C ints;
 *       node masks are {@code NodeSet.MAX_NUMNODES} bits as {@code unsigned long} words, passed
 *       with {@code maxnode = bits + 1} (the kernel's {@code get_nodes()} drops the last bit);
 *   <li>a failed call is a {@link tierd.nativeio.SyscallResult} with an {@link
 *       tierd.nativeio.Errno}, never an exception: errno is a value the mover acts on;
 *   <li>capabilities are probed once at start ({@link tierd.mover.CapabilityProbe}); without them
 *       the daemon says so in one message and falls back to dry-run.
 * </ul>
 */
package tierd.nativeio;
