package tierd.heat.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.heat.SourceKind;
import tierd.heat.damon.DamonModules;
import tierd.heat.damon.DamonStatus;
import tierd.heat.damon.SysfsDamonFs;
import tierd.heat.select.SourceConflicts.ActiveSource;
import tierd.source.sys.TieringKnobs;

class SourceConflictsTest {

  static final TieringKnobs QUIET = new TieringKnobs(Optional.of(true), Optional.of(0));

  static DamonStatus.Kdamond kdamond(
      int idx, boolean on, String ops, List<Integer> pids, String action) {
    return new DamonStatus.Kdamond(
        idx, on, on ? 900 + idx : -1, Optional.of(ops), Set.of(), pids, List.of(action));
  }

  static DamonStatus damon(DamonStatus.Kdamond... k) {
    return new DamonStatus(true, k.length, List.of(k));
  }

  /** The admin tree empty, and a kernel DAMON module's kdamond running (not in the tree). */
  static DamonStatus module(String name, int kdamondPid) {
    return new DamonStatus(
        true, 0, List.of(), List.of(new DamonModules.ModuleKdamond(name, kdamondPid)));
  }

  static ActiveSource active(SourceKind k, Integer... pids) {
    return new ActiveSource(k, Set.of(pids));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nothing", QUIET, damon(), Set.of(), List.of(), List.of()),
        Arguments.of(
            "NUMA balancing tiering mode",
            new TieringKnobs(Optional.of(true), Optional.of(3)),
            damon(),
            Set.of(),
            List.of(),
            List.of(
                "KERNEL_NUMA_TIERING: NUMA balancing tiering mode is on (numa_balancing=3): the"
                    + " kernel promotes pages too, outside tierd's rules",
                "KERNEL_NUMA_BALANCING: NUMA balancing is on (numa_balancing=3): the kernel"
                    + " migrates pages toward the CPUs that touch them, also out of CPU-less nodes,"
                    + " outside tierd's rules")),
        Arguments.of(
            "NUMA balancing normal mode",
            new TieringKnobs(Optional.of(false), Optional.of(1)),
            damon(),
            Set.of(),
            List.of(),
            List.of(
                "KERNEL_NUMA_BALANCING: NUMA balancing is on (numa_balancing=1): the kernel"
                    + " migrates pages toward the CPUs that touch them, also out of CPU-less nodes,"
                    + " outside tierd's rules")),
        Arguments.of(
            "a foreign kdamond that runs",
            QUIET,
            damon(kdamond(0, true, "paddr", List.of(), "pageout")),
            Set.of(),
            List.of(active(SourceKind.NUMA_MAPS_ACTIVE, 100)),
            List.of("FOREIGN_DAMON: foreign kdamond 0 running paddr/pageout")),
        Arguments.of(
            "a foreign kdamond that is off",
            QUIET,
            damon(kdamond(0, false, "paddr", List.of(), "pageout")),
            Set.of(),
            List.of(active(SourceKind.CLEAR_REFS, 100)),
            List.of()),
        Arguments.of(
            "tierd's own kdamond",
            QUIET,
            damon(kdamond(0, true, "vaddr", List.of(100), "stat")),
            Set.of(0),
            List.of(active(SourceKind.DAMON_VADDR, 100)),
            List.of()),
        Arguments.of(
            "foreign paddr and clear_refs",
            QUIET,
            damon(kdamond(0, true, "paddr", List.of(), "pageout")),
            Set.of(),
            List.of(active(SourceKind.CLEAR_REFS, 200, 100)),
            List.of(
                "FOREIGN_DAMON: foreign kdamond 0 running paddr/pageout",
                "SHARED_ACCESSED_BITS: foreign kdamond 0 (paddr/pageout) and clear-refs both"
                    + " clear the Accessed bits of pids 100,200")),
        Arguments.of(
            "foreign vaddr on another pid",
            QUIET,
            damon(kdamond(0, true, "vaddr", List.of(4242), "stat")),
            Set.of(),
            List.of(active(SourceKind.IDLE_PAGE, 100)),
            List.of("FOREIGN_DAMON: foreign kdamond 0 running vaddr/stat")),
        Arguments.of(
            "foreign vaddr on a managed pid",
            QUIET,
            damon(kdamond(0, true, "vaddr", List.of(4242, 7), "stat")),
            Set.of(),
            List.of(active(SourceKind.IDLE_PAGE, 100, 4242)),
            List.of(
                "FOREIGN_DAMON: foreign kdamond 0 running vaddr/stat",
                "SHARED_ACCESSED_BITS: foreign kdamond 0 (vaddr/stat) and idle-page both clear"
                    + " the Accessed bits of pids 4242")),
        Arguments.of(
            "DAMON_LRU_SORT's kdamond, outside the admin tree",
            QUIET,
            module("damon_lru_sort", 837),
            Set.of(),
            List.of(active(SourceKind.NUMA_MAPS_ACTIVE, 100)),
            List.of(
                "FOREIGN_DAMON: foreign kdamond of kernel module damon_lru_sort (kdamond pid"
                    + " 837)")),
        Arguments.of(
            "DAMON_RECLAIM's kdamond and clear_refs",
            QUIET,
            module("damon_reclaim", 91),
            Set.of(),
            List.of(active(SourceKind.CLEAR_REFS, 200, 100)),
            List.of(
                "FOREIGN_DAMON: foreign kdamond of kernel module damon_reclaim (kdamond pid 91)",
                "SHARED_ACCESSED_BITS: foreign kdamond of kernel module damon_reclaim (kdamond"
                    + " pid 91) (paddr) and clear-refs both clear the Accessed bits of pids"
                    + " 100,200")),
        Arguments.of(
            "two tierd sources on the same pid",
            QUIET,
            damon(),
            Set.of(),
            List.of(active(SourceKind.DAMON_VADDR, 1, 2), active(SourceKind.CLEAR_REFS, 2, 3)),
            List.of(
                "SHARED_ACCESSED_BITS: damon-vaddr and clear-refs both clear the Accessed bits of"
                    + " pids 2")),
        Arguments.of(
            "disjoint pids",
            QUIET,
            damon(),
            Set.of(),
            List.of(active(SourceKind.DAMON_VADDR, 1), active(SourceKind.CLEAR_REFS, 2)),
            List.of()),
        Arguments.of(
            "numa_maps active= clears nothing",
            QUIET,
            damon(),
            Set.of(),
            List.of(active(SourceKind.DAMON_VADDR, 1), active(SourceKind.NUMA_MAPS_ACTIVE, 1)),
            List.of()),
        Arguments.of(
            "paddr against paddr",
            QUIET,
            damon(
                kdamond(0, true, "paddr", List.of(), "pageout"),
                kdamond(1, true, "paddr", List.of(), "stat")),
            Set.of(1),
            List.of(active(SourceKind.DAMON_PADDR)),
            List.of(
                "FOREIGN_DAMON: foreign kdamond 0 running paddr/pageout",
                "SHARED_ACCESSED_BITS: foreign kdamond 0 (paddr/pageout) and damon-paddr both"
                    + " clear the Accessed bits of pids (all memory)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void conflicts(
      String name,
      TieringKnobs knobs,
      DamonStatus damon,
      Set<Integer> own,
      List<ActiveSource> active,
      List<String> expected) {
    assertThat(SourceConflicts.check(knobs, damon, own, active))
        .extracting(c -> c.type() + ": " + c.message())
        .containsExactlyElementsOf(expected);
  }

  @Test
  void readsTheCapturedGuest() {
    var root = Fixtures.root("vm-2node");
    assertThat(
            SourceConflicts.read(
                root,
                new SysfsDamonFs(root),
                Set.of(),
                List.of(active(SourceKind.CLEAR_REFS, 4242))))
        .extracting(Conflict::type)
        .containsExactly(Conflict.Type.FOREIGN_DAMON, Conflict.Type.SHARED_ACCESSED_BITS);
  }

  @Test
  void typeLabelsAreMetricSafe() {
    assertThat(Conflict.Type.values())
        .extracting(Conflict.Type::label)
        .allMatch(l -> l.matches("[a-z_]+"));
  }
}
