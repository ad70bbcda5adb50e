package tierd.heat.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tierd.heat.SourceKind;

/**
 * Picks the heat source from the probes and the configured preference: the first preferred kind
 * that is available, and a one-line explanation that says why each earlier kind was passed over.
 *
 * <p>Availability: DAMON kinds need the DAMON sysfs tree and no foreign kdamond (an off one too:
 * see {@link tierd.heat.damon.DamonSource}); paddr additionally needs PFNs from pagemap to map
 * regions back to processes. Whether this kernel's DAMON has vaddr, tried_regions and target
 * filters is only known once tierd has its own kdamond, so {@link HeatSources#open} may still pass
 * over a DAMON kind that the chooser offered. Idle-page tracking needs the bitmap, kpageflags and
 * PFNs; clear_refs and numa_maps need their proc files, and soft-dirty a kernel that keeps the bits
 * (probed on tierd's own memory).
 */
public final class SourceChooser {

  private SourceChooser() {}

  /**
   * @param chosen the first available kind, if any
   * @param candidates every available kind, in preference order (the fallbacks of {@code chosen})
   * @param skipped "kind: reason" for every preferred kind before {@code chosen}
   */
  public record Choice(
      Optional<SourceKind> chosen, List<SourceKind> candidates, List<String> skipped) {
    public Choice {
      candidates = List.copyOf(candidates);
      skipped = List.copyOf(skipped);
    }

    /** One line for the log, e.g. {@code heat source clear-refs (damon-vaddr: DAMON busy ...)}. */
    public String explanation() {
      return explain(chosen, skipped);
    }
  }

  /** The one-line explanation of a choice. */
  public static String explain(Optional<SourceKind> chosen, List<String> skipped) {
    if (chosen.isEmpty()) {
      return "no heat source available (" + String.join("; ", skipped) + ")";
    }
    String line = "heat source " + chosen.get().label();
    return skipped.isEmpty() ? line : line + " (" + String.join("; ", skipped) + ")";
  }

  public static Choice choose(HeatProbes probes, List<SourceKind> preference) {
    List<SourceKind> available = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (SourceKind k : preference) {
      Optional<String> why = unavailable(probes, k);
      if (why.isEmpty()) {
        available.add(k);
      } else if (available.isEmpty()) {
        skipped.add(k.label() + ": " + why.get());
      }
    }
    return new Choice(available.stream().findFirst(), available, skipped);
  }

  /** Why {@code kind} cannot run here, or empty when it can. */
  public static Optional<String> unavailable(HeatProbes p, SourceKind kind) {
    return switch (kind) {
      case DAMON_VADDR -> p.damonFree() ? Optional.empty() : Optional.of(p.damonReason());
      case DAMON_PADDR -> {
        if (!p.damonFree()) {
          yield Optional.of(p.damonReason());
        }
        yield p.pagemapPfns()
            ? Optional.empty()
            : Optional.of("mapping physical regions to processes needs CAP_SYS_ADMIN");
      }
      case IDLE_PAGE -> {
        if (!p.pageIdle()) {
          yield Optional.of("no page_idle/bitmap (CONFIG_IDLE_PAGE_TRACKING off)");
        }
        if (!p.kpageflags()) {
          yield Optional.of("no /proc/kpageflags");
        }
        yield p.pagemapPfns()
            ? Optional.empty()
            : Optional.of("PFNs in pagemap need CAP_SYS_ADMIN");
      }
      case CLEAR_REFS_SOFT_DIRTY ->
          p.clearRefs() ? p.softDirtyUnavailable() : Optional.of("no /proc/PID/clear_refs");
      case CLEAR_REFS -> p.clearRefs() ? Optional.empty() : Optional.of("no /proc/PID/clear_refs");
      case NUMA_MAPS_ACTIVE ->
          p.numaMaps() ? Optional.empty() : Optional.of("no /proc/PID/numa_maps (CONFIG_NUMA off)");
      case DAMON_OBSERVE ->
          p.damonResults()
              ? Optional.empty()
              : Optional.of("no kdamond with vaddr stat results for a single target");
    };
  }
}
