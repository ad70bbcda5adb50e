package tierd.nativeio;

import com.sun.jna.Native;
import java.util.Arrays;
import java.util.Objects;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;

/**
 * The NUMA memory-policy syscalls of the running kernel, through JNA direct mapping of glibc's
 * {@code syscall(2)} with the numbers of {@link SyscallTable#current()}.
 *
 * <p>Methods keep the C names and return a {@link SyscallResult} instead of throwing: errno is data
 * the mover acts on. Arguments that would be undefined behaviour in C (mismatched array lengths,
 * node ids outside {@code [0, NodeSet.MAX_NUMNODES)}) are rejected with an {@link
 * IllegalArgumentException} before the call.
 *
 * <p>Node masks are {@link #MASK_BITS} bits, that is {@code MASK_BITS / 64} {@code unsigned long}
 * words, passed with {@code maxnode = MASK_BITS + 1}: the kernel's {@code get_nodes()} in
 * mm/mempolicy.c decrements maxnode before reading, so the last bit would otherwise be lost
 * (libnuma and numad pass bits + 1 for the same reason). {@code get_mempolicy} needs {@code maxnode
 * >= nr_node_ids}; 1025 covers every kernel built with {@code CONFIG_NODES_SHIFT <= 10}.
 *
 * <p>Units: addresses and lengths in bytes; page arrays hold one user virtual address per entry.
 * Thread-safe: errno is per thread and read right after each call.
 */
public final class NumaSyscalls {

  /** Bits in a node mask; equal to {@link NodeSet#MAX_NUMNODES}. */
  public static final int MASK_BITS = NodeSet.MAX_NUMNODES;

  /** The {@code maxnode} argument that goes with a {@link #MASK_BITS}-bit mask. */
  public static final long MAXNODE = MASK_BITS + 1L;

  private static final int MASK_WORDS = MASK_BITS / 64;

  private final SyscallTable table;

  private NumaSyscalls(SyscallTable table) {
    this.table = table;
  }

  /**
   * Loads libc through JNA and picks the syscall table of this architecture.
   *
   * @throws UnsupportedOperationException on an architecture without a table or a 32-bit JVM
   * @throws LinkageError when JNA cannot load its native part or libc
   */
  public static NumaSyscalls load() {
    SyscallTable table = SyscallTable.current();
    LibC.init();
    if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
      throw new UnsupportedOperationException(
          "tierd needs an LP64 JVM; pointer size is " + Native.POINTER_SIZE + " bytes");
    }
    return new NumaSyscalls(table);
  }

  public SyscallTable table() {
    return table;
  }

  /**
   * {@code long move_pages(int pid, unsigned long count, void *pages[.count], const int
   * nodes[.count], int status[.count], int flags);}
   *
   * <p>With {@code nodes == null} the call only queries: {@code status[i]} becomes the node of page
   * {@code i} or a negated errno. Otherwise page {@code i} moves to {@code nodes[i]}. On success
   * the value is the number of pages not migrated (0 = all done); their status entries keep what
   * the caller put there, so pre-fill {@code status} with a sentinel.
   *
   * @param pid 0 for the calling process
   * @param pages one user virtual address per page
   * @param nodes target node per page, or {@code null} to query
   * @param status out: node or {@code -errno} per page, same length as {@code pages}
   * @param flags 0, {@link Mpol#MPOL_MF_MOVE} or {@link Mpol#MPOL_MF_MOVE_ALL}
   */
  public SyscallResult move_pages(int pid, long[] pages, int[] nodes, int[] status, int flags) {
    Objects.requireNonNull(pages, "pages");
    Objects.requireNonNull(status, "status");
    if (status.length != pages.length) {
      throw new IllegalArgumentException(
          "status has " + status.length + " entries for " + pages.length + " pages");
    }
    if (nodes != null) {
      if (nodes.length != pages.length) {
        throw new IllegalArgumentException(
            "nodes has " + nodes.length + " entries for " + pages.length + " pages");
      }
      for (int node : nodes) {
        NodeSet.checkNode(node);
      }
    }
    long r = LibC.syscall(table.move_pages(), pid, pages.length, pages, nodes, status, flags);
    return SyscallResult.of(r, Native.getLastError());
  }

  /**
   * {@code long migrate_pages(int pid, unsigned long maxnode, const unsigned long *old_nodes, const
   * unsigned long *new_nodes);}
   *
   * <p>Moves every page of {@code pid} that sits on {@code oldNodes} to {@code newNodes}; the value
   * is the number of pages that could not be moved. Coarse and long-blocking: the mover uses
   * move_pages, this is for tests and tools.
   */
  public SyscallResult migrate_pages(int pid, NodeSet oldNodes, NodeSet newNodes) {
    long r = LibC.syscall(table.migrate_pages(), pid, MAXNODE, mask(oldNodes), mask(newNodes));
    return SyscallResult.of(r, Native.getLastError());
  }

  /**
   * {@code long mbind(void *addr, unsigned long len, int mode, const unsigned long *nodemask,
   * unsigned long maxnode, unsigned int flags);}
   *
   * <p>Sets the policy of {@code [addr, addr + lenBytes)} in the <em>calling</em> process only;
   * with {@link Mpol#MPOL_MF_MOVE} present pages move to follow it.
   *
   * @param addr page-aligned start address
   * @param mode an {@code MPOL_*} mode, optionally OR-ed with mode flags
   * @param nodes empty for {@code MPOL_DEFAULT} and {@code MPOL_LOCAL}
   */
  public SyscallResult mbind(long addr, long lenBytes, int mode, NodeSet nodes, int flags) {
    long[] mask = nodes.isEmpty() ? null : mask(nodes);
    long r =
        LibC.syscall(table.mbind(), addr, lenBytes, mode, mask, mask == null ? 0 : MAXNODE, flags);
    return SyscallResult.of(r, Native.getLastError());
  }

  /** {@code long set_mempolicy(int mode, const unsigned long *nodemask, unsigned long maxnode);} */
  public SyscallResult set_mempolicy(int mode, NodeSet nodes) {
    long[] mask = nodes.isEmpty() ? null : mask(nodes);
    long r = LibC.syscall(table.set_mempolicy(), mode, mask, mask == null ? 0 : MAXNODE);
    return SyscallResult.of(r, Native.getLastError());
  }

  /** A policy as {@code get_mempolicy} reports it, or the failure. */
  public record Policy(SyscallResult result, int modeNumber, NodeSet nodes) {

    /** The mode without flags; UNKNOWN for a failed call. */
    public MemPolicy.Mode mode() {
      return result.failed() ? MemPolicy.Mode.UNKNOWN : Mpol.mode(modeNumber);
    }
  }

  /**
   * {@code long get_mempolicy(int *mode, unsigned long *nodemask, unsigned long maxnode, void
   * *addr, unsigned long flags);}
   *
   * <p>With flags 0: the calling thread's policy. With {@link Mpol#MPOL_F_ADDR}: the policy of the
   * VMA holding {@code addr}. With {@link Mpol#MPOL_F_MEMS_ALLOWED}: the nodes the task's cpuset
   * allows, in {@code nodes}. With {@code MPOL_F_NODE | MPOL_F_ADDR}: the node of the page at
   * {@code addr} in {@code modeNumber} (faults the page in if needed).
   */
  public Policy get_mempolicy(long addr, int flags) {
    int[] mode = new int[1];
    long[] mask = new long[MASK_WORDS];
    long r = LibC.syscall(table.get_mempolicy(), mode, mask, MAXNODE, addr, flags);
    SyscallResult res = SyscallResult.of(r, Native.getLastError());
    return new Policy(res, mode[0], res.failed() ? NodeSet.empty() : fromMask(mask));
  }

  /** {@code int getpagesize(void);} The base page size in bytes. */
  public long getpagesize() {
    return LibC.getpagesize();
  }

  /** {@code pid_t getpid(void);} */
  public int getpid() {
    return LibC.getpid();
  }

  /** A NodeSet as a {@link #MASK_BITS}-bit mask (lowest node in bit 0 of word 0). */
  static long[] mask(NodeSet nodes) {
    return nodes.toMaskWords(MASK_BITS);
  }

  static NodeSet fromMask(long[] words) {
    int[] ids = new int[Long.SIZE * words.length];
    int n = 0;
    for (int w = 0; w < words.length; w++) {
      long word = words[w];
      while (word != 0) {
        ids[n++] = w * Long.SIZE + Long.numberOfTrailingZeros(word);
        word &= word - 1;
      }
    }
    return NodeSet.of(Arrays.copyOf(ids, n));
  }
}
