package tierd.heat;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The hotness mechanisms tierd knows, best first (the default preference order). Each has a stable
 * {@link #label()} used in config, metrics labels and logs.
 */
public enum SourceKind {
  /** DAMON with vaddr operations: the managed pids are the targets; regions are virtual. */
  DAMON_VADDR("damon-vaddr", true, false),
  /** DAMON with paddr operations over all online memory, mapped back to pids via pagemap. */
  DAMON_PADDR("damon-paddr", true, true),
  /** Idle-page tracking: page_idle/bitmap + pagemap (+ kpageflags for THP), per page. */
  IDLE_PAGE("idle-page", true, false),
  /** clear_refs + smaps {@code Referenced:}, per VMA. */
  CLEAR_REFS("clear-refs", true, false),
  /** numa_maps {@code active=} (LRU state), per VMA; read-only, a weak hint. */
  NUMA_MAPS_ACTIVE("numa-maps-active", false, false),
  /**
   * Read-only: the tried_regions another DAMON user (or a captured fixture) already has for a
   * managed pid. Never writes; only as fresh as the owner's refreshes; not in the default list.
   */
  DAMON_OBSERVE("damon-observe", false, false);

  private final String label;
  private final boolean clearsAccessedBits;
  private final boolean physical;

  SourceKind(String label, boolean clearsAccessedBits, boolean physical) {
    this.label = label;
    this.clearsAccessedBits = clearsAccessedBits;
    this.physical = physical;
  }

  public String label() {
    return label;
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
