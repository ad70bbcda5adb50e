package tierd.heat;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The hotness mechanisms tierd knows, best first (the default preference order). Each has a stable
 * {@link #label()} used in config, metrics labels and logs.
 */
public enum SourceKind {
  /** DAMON with vaddr operations: the managed pids are the targets; regions are virtual. */
  DAMON_VADDR(
      "damon-vaddr",
      true,
      false,
      "DAMON on the managed processes: reads and writes, sampled, per adaptive region"),
  /** DAMON with paddr operations over all online memory, mapped back to pids via pagemap. */
  DAMON_PADDR(
      "damon-paddr",
      true,
      true,
      "DAMON on physical memory, mapped back to the processes: reads and writes, sampled, per"
          + " adaptive region"),
  /** Idle-page tracking: page_idle/bitmap + pagemap (+ kpageflags for THP), per page. */
  IDLE_PAGE(
      "idle-page",
      true,
      false,
      "idle-page tracking: reads and writes of every page, reported per heat.chunk"),
  /**
   * clear_refs 1 and 4: writes per page (soft-dirty, pagemap bit 55), reported per chunk, and reads
   * per VMA (smaps {@code Referenced:}). For kernels without DAMON or idle-page tracking.
   */
  CLEAR_REFS_SOFT_DIRTY(
      "clear-refs+soft-dirty",
      true,
      false,
      "writes of every page (soft-dirty), reported per heat.chunk, and reads per VMA (smaps"
          + " Referenced); cannot see where read-only hot pages lie inside a VMA: their reads are"
          + " spread evenly over the VMA's unwritten pages"),
  /** clear_refs + smaps {@code Referenced:}, per VMA. */
  CLEAR_REFS(
      "clear-refs",
      true,
      false,
      "reads and writes per VMA (smaps Referenced); cannot tell a hot part of a VMA from a cold"
          + " part"),
  /** numa_maps {@code active=} (LRU state), per VMA; read-only, a weak hint. */
  NUMA_MAPS_ACTIVE(
      "numa-maps-active",
      false,
      false,
      "LRU state per VMA (numa_maps active=); a weak hint that changes only when reclaim scans"),
  /**
   * Read-only: the tried_regions another DAMON user (or a captured fixture) already has for a
   * managed pid. Never writes; only as fresh as the owner's refreshes; not in the default list.
   */
  DAMON_OBSERVE(
      "damon-observe",
      false,
      false,
      "another DAMON user's results for the managed processes; only as fresh as its refreshes");

  private final String label;
  private final boolean clearsAccessedBits;
  private final boolean physical;
  private final String description;

  SourceKind(String label, boolean clearsAccessedBits, boolean physical, String description) {
    this.label = label;
    this.clearsAccessedBits = clearsAccessedBits;
    this.physical = physical;
    this.description = description;
  }

  public String label() {
    return label;
  }

  /**
   * One line for users ({@code tierd status}, the log): what the source sees, at which granularity,
   * and what it cannot see.
   */
  public String description() {
    return description;
  }

  /**
   * True when the mechanism clears page-table Accessed bits (or page young/idle flags), so that it
   * disturbs any other user of those bits (DAMON design.rst: "DAMON does nothing to avoid
   * disturbing Idle page tracking").
   */
  public boolean clearsAccessedBits() {
    return clearsAccessedBits;
  }

  /** True when it watches physical memory as a whole rather than the managed pids only. */
  public boolean physical() {
    return physical;
  }

  public boolean isDamon() {
    return this == DAMON_VADDR || this == DAMON_PADDR;
  }

  /** The {@link #description()} of the kind with this label; empty for "none" or an unknown one. */
  public static Optional<String> descriptionOf(String label) {
    return Arrays.stream(values())
        .filter(k -> k.label.equals(label))
        .findFirst()
        .map(SourceKind::description);
  }

  /** The kind with this label; the error lists the valid labels. */
  public static SourceKind ofLabel(String label) {
    for (SourceKind k : values()) {
      if (k.label.equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown heat source '"
            + label
            + "' (one of "
            + Arrays.stream(values()).map(SourceKind::label).collect(Collectors.joining(", "))
            + ")");
  }

  @Override
  public String toString() {
    return label;
  }
}
