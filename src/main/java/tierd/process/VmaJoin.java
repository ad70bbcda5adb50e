package tierd.process;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tierd.kernelfs.Rejection;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcMaps;

/**
 * Joins a process's maps and numa_maps into {@link Vma}s, and leaves out the VMAs on which the two
 * files disagree. Each file parsed on its own (the parsers reject what is malformed in one file);
 * what only the pair can show is checked here:
 *
 * <ul>
 *   <li>a VMA in one file and not in the other ({@code unmatched}): both files walk the same VMA
 *       list, so this is a mapping that changed between the two reads (busy processes do this: a
 *       thread stack's guard page, a heap that grew) or a broken file;
 *   <li>more present bytes in numa_maps than the VMA from maps spans ({@code beyond_vma}):
 *       numa_maps counts the pages mapped in the VMA's page tables, in units of its page size, so
 *       they can never exceed its size.
 * </ul>
 *
 * <p>{@link #onNodes} then leaves out the VMAs with pages on a node the topology does not have.
 */
public final class VmaJoin {

  private VmaJoin() {}

  /** The VMAs both files agree on, and one rejection per VMA left out. */
  public record Joined(List<Vma> vmas, List<Rejection> rejected) {

    public Joined {
      vmas = List.copyOf(vmas);
      rejected = List.copyOf(rejected);
    }
  }

  /** Joins maps and numa_maps by start address. */
  public static Joined join(List<ProcMaps.Mapping> maps, List<NumaMaps.Entry> numa) {
    Joiner joiner = new Joiner(maps);
    numa.forEach(joiner);
    return joiner.joined();
  }

  /**
   * Joins numa_maps entries to the mappings of maps one at a time, as numa_maps is parsed ({@link
   * NumaMaps#parse(String, java.util.function.Consumer)}): the entries are garbage as soon as their
   * VMA is made, so a process with tens of thousands of VMAs never has them all in the heap twice.
   */
  public static final class Joiner implements java.util.function.Consumer<NumaMaps.Entry> {
    private final List<ProcMaps.Mapping> maps;
    private final ThpEligibility thp;
    private final Map<Long, ProcMaps.Mapping> byStart;
    private final List<Vma> out;
    private final List<Rejection> rejected = new ArrayList<>(0);

    /** Starts numa_maps matched in maps but made no VMA of (special mappings, rejected). */
    private final Set<Long> matchedUnused = new HashSet<>();

    private int matched;

    public Joiner(List<ProcMaps.Mapping> maps) {
      this(maps, ThpEligibility.UNKNOWN);
    }

    /** As {@link #Joiner(List)}, each VMA marked THP-eligible as {@code thp} says. */
    Joiner(List<ProcMaps.Mapping> maps, ThpEligibility thp) {
      this.maps = maps;
      this.thp = thp;
      this.byStart = new HashMap<>(maps.size() * 2);
      for (ProcMaps.Mapping m : maps) {
        byStart.put(m.range().start(), m);
      }
      this.out = new ArrayList<>(maps.size());
    }

    @Override
    public void accept(NumaMaps.Entry e) {
      ProcMaps.Mapping m = byStart.get(e.start());
      if (m == null) {
        rejected.add(
            new Rejection(
                "numa_maps",
                Rejection.Reason.UNMATCHED,
                "numa_maps lists a VMA at "
                    + Long.toHexString(e.start())
                    + " that maps does not (a mapping changed between the two reads?)"));
        return;
      }
      matched++;
      if (m.special()) {
        matchedUnused.add(e.start());
        return;
      }
      long presentBytes = e.pages() * e.pageBytes(); // both bounded by the parser: no overflow
      if (presentBytes > m.range().sizeBytes()) {
        matchedUnused.add(e.start());
        rejected.add(
            new Rejection(
                "numa_maps",
                Rejection.Reason.BEYOND_VMA,
                "VMA "
                    + m.range()
                    + " spans "
                    + DataSize.human(m.range().sizeBytes())
                    + " but numa_maps counts "
                    + e.pages()
                    + " pages of "
                    + DataSize.human(e.pageBytes())
                    + " ("
                    + DataSize.human(presentBytes)
                    + ") present in it"));
        return;
      }
      out.add(
          new Vma(
                  m.range(),
                  m.perms(),
                  m.path(),
                  e.policy(),
                  e.backing(),
                  e.huge(),
                  e.pageBytes(),
                  e.anon(),
                  e.mapmax().orElse(1),
                  e.pagesPerNode(),
                  e.activePages())
              .withThpEligible(thp.eligible(m.range().start())));
    }

    /** The VMAs both files agree on, and what was left out (maps' VMAs numa_maps lacks too). */
    public Joined joined() {
      if (matched < byStart.size()) {
        // some mapping of maps had no numa_maps line: name them (rare, so found only then)
        Set<Long> inNuma = new HashSet<>(matchedUnused);
        for (Vma v : out) {
          inNuma.add(v.range().start());
        }
        for (ProcMaps.Mapping m : maps) {
          if (!m.special() && !inNuma.contains(m.range().start())) {
            rejected.add(
                new Rejection(
                    "maps",
                    Rejection.Reason.UNMATCHED,
                    "maps lists VMA "
                        + m.range()
                        + " that numa_maps does not (a mapping changed between the two reads?)"));
          }
        }
      }
      return new Joined(out, rejected);
    }
  }

  /**
   * The VMAs whose pages all lie on {@code memoryNodes}, and one rejection per VMA with pages
   * elsewhere: a node that went away since numa_maps was read (memory hot-unplug) or a count that
   * names a node this host never had. The same list is returned when nothing is left out.
   */
  public static Joined onNodes(List<Vma> vmas, NodeSet memoryNodes) {
    List<Vma> kept = null;
    List<Rejection> rejected = List.of();
    for (int i = 0; i < vmas.size(); i++) {
      Vma v = vmas.get(i);
      int outside = firstNodeOutside(v, memoryNodes);
      if (outside < 0) {
        if (kept != null) {
          kept.add(v);
        }
        continue;
      }
      if (kept == null) {
        kept = new ArrayList<>(vmas.subList(0, i));
        rejected = new ArrayList<>();
      }
      rejected.add(
          new Rejection(
              "numa_maps",
              Rejection.Reason.UNKNOWN_NODE,
              "VMA "
                  + v.range()
                  + " has pages on node "
                  + outside
                  + ", which is not a memory node of this cycle's topology ("
                  + memoryNodes
                  + ")"));
    }
    return new Joined(kept == null ? vmas : kept, rejected);
  }

  /** The first node with pages of {@code v} that is not in {@code nodes}, or -1. */
  private static int firstNodeOutside(Vma v, NodeSet nodes) {
    for (int j = 0; j < v.pages().size(); j++) {
      if (!nodes.contains(v.pages().node(j))) {
        return v.pages().node(j);
      }
    }
    return -1;
  }

  /** The {@code cap} VMAs with the most present bytes, in address order. */
  static List<Vma> largest(List<Vma> vmas, int cap) {
    List<Vma> bySize = new ArrayList<>(vmas);
    bySize.sort(
        Comparator.comparingLong(Vma::presentBytes)
            .thenComparingLong(v -> v.range().sizeBytes())
            .reversed());
    List<Vma> kept = new ArrayList<>(bySize.subList(0, cap));
    kept.sort(Comparator.comparingLong(v -> v.range().start()));
    return kept;
  }
}
