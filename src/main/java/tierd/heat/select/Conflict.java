package tierd.heat.select;

/**
 * Something on this host that works against tierd's heat detection or its moves. Returned as a
 * value; the daemon turns it into a metric (labelled by {@link Type}, a bounded set) and a log line
 * ({@link #message()}).
 */
public record Conflict(Type type, String message) {

  /** The kind of conflict: a bounded metric label. */
  public enum Type {
    /**
     * {@code /proc/sys/kernel/numa_balancing} has bit 2 (NUMA_BALANCING_MEMORY_TIERING): the kernel
     * promotes pages itself, by its own rules.
     */
    KERNEL_NUMA_TIERING("kernel_numa_tiering"),
    /**
     * {@code numa_balancing} has bit 1 (NUMA_BALANCING_NORMAL): hint faults migrate pages toward
     * the node of the CPU that touches them, which on a tiered host moves pages out of CPU-less
     * nodes by the kernel's rules, not tierd's (seen in the qemu guest: a hot buffer on the slow
     * node was pulled to node 0 with tierd idle).
     */
    KERNEL_NUMA_BALANCING("kernel_numa_balancing"),
    /** A kdamond tierd did not create is running. */
    FOREIGN_DAMON("foreign_damon"),
    /** Two mechanisms clear the Accessed bits of the same memory and blind each other. */
    SHARED_ACCESSED_BITS("shared_accessed_bits");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
