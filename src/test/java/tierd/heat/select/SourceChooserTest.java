package tierd.heat.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.heat.SourceKind;
import tierd.heat.damon.DamonLeftovers;
import tierd.heat.damon.DamonStatus;
import tierd.kernelfs.KernelFsException;

class SourceChooserTest {

  static final DamonLeftovers.Outcome NO_LEFTOVER =
      new DamonLeftovers.Outcome(DamonLeftovers.Kind.NONE, "no DAMON state file");

  static DamonStatus free() {
    return new DamonStatus(true, 0, List.of());
  }

  static DamonStatus foreignPageout() {
    return new DamonStatus(
        true,
        1,
        List.of(
            new DamonStatus.Kdamond(
                0,
                true,
                1234,
                Optional.of("paddr"),
                Set.of("vaddr", "fvaddr", "paddr"),
                List.of(),
                List.of("pageout"))));
  }

  static final String NO_SOFT_DIRTY =
      "pagemap bit 55 stays 0 after a write (no soft-dirty: CONFIG_MEM_SOFT_DIRTY off)";

  static HeatProbes probes(
      DamonStatus damon, DamonLeftovers.Outcome leftover, boolean pageIdle, boolean cap) {
    return probes(damon, leftover, pageIdle, cap, Optional.of(NO_SOFT_DIRTY));
  }

  static HeatProbes probes(
      DamonStatus damon,
      DamonLeftovers.Outcome leftover,
      boolean pageIdle,
      boolean cap,
      Optional<String> softDirtyUnavailable) {
    return new HeatProbes(damon, leftover, pageIdle, true, cap, true, softDirtyUnavailable, true);
  }

  static final String BUSY = "DAMON busy (foreign kdamond 0 running paddr/pageout)";
  static final String NO_DAMON =
      "DAMON sysfs absent (CONFIG_DAMON_SYSFS off or kernel before 5.18)";

  static Stream<Arguments> cases() {
    List<SourceKind> all = List.of(SourceKind.values());
    return Stream.of(
        Arguments.of(
            "DAMON free: vaddr first",
            probes(free(), NO_LEFTOVER, false, true),
            all,
            "heat source damon-vaddr"),
        Arguments.of(
            "this host: a foreign pageout kdamond, no page_idle",
            probes(foreignPageout(), NO_LEFTOVER, false, true),
            all,
            "heat source clear-refs (damon-vaddr: "
                + BUSY
                + "; damon-paddr: "
                + BUSY
                + "; idle-page: no page_idle/bitmap (CONFIG_IDLE_PAGE_TRACKING off)"
                + "; clear-refs+soft-dirty: "
                + NO_SOFT_DIRTY
                + ")"),
        Arguments.of(
            "Debian 12's stock 6.1 kernel: no DAMON, no page_idle, soft-dirty",
            probes(DamonStatus.absent(), NO_LEFTOVER, false, true, Optional.empty()),
            all,
            "heat source clear-refs+soft-dirty (damon-vaddr: "
                + NO_DAMON
                + "; damon-paddr: "
                + NO_DAMON
                + "; idle-page: no page_idle/bitmap (CONFIG_IDLE_PAGE_TRACKING off))"),
        Arguments.of(
            "soft-dirty on a fixture root: not probed, plain clear-refs",
            probes(
                foreignPageout(),
                NO_LEFTOVER,
                false,
                true,
                Optional.of("probed only on the running kernel, not on a fixture root")),
            List.of(SourceKind.CLEAR_REFS_SOFT_DIRTY, SourceKind.CLEAR_REFS),
            "heat source clear-refs (clear-refs+soft-dirty: probed only on the running kernel,"
                + " not on a fixture root)"),
        Arguments.of(
            "page_idle present",
            probes(foreignPageout(), NO_LEFTOVER, true, true),
            all,
            "heat source idle-page (damon-vaddr: " + BUSY + "; damon-paddr: " + BUSY + ")"),
        Arguments.of(
            "tierd's own leftover counts as free",
            probes(
                new DamonStatus(true, 1, foreignPageout().kdamonds()),
                new DamonLeftovers.Outcome(DamonLeftovers.Kind.REMOVED, "removed kdamond 0"),
                false,
                true),
            all,
            "heat source damon-vaddr"),
        Arguments.of(
            "another tierd runs",
            probes(
                new DamonStatus(true, 1, foreignPageout().kdamonds()),
                new DamonLeftovers.Outcome(
                    DamonLeftovers.Kind.OWNER_ALIVE,
                    "DAMON busy (kdamond 0 belongs to a running tierd, pid 555)"),
                false,
                true),
            List.of(SourceKind.DAMON_VADDR, SourceKind.CLEAR_REFS),
            "heat source clear-refs (damon-vaddr: DAMON busy (kdamond 0 belongs to a running"
                + " tierd, pid 555))"),
        Arguments.of(
            "no DAMON sysfs, no CAP_SYS_ADMIN, paddr and idle-page preferred",
            probes(DamonStatus.absent(), NO_LEFTOVER, true, false),
            List.of(SourceKind.DAMON_PADDR, SourceKind.IDLE_PAGE, SourceKind.NUMA_MAPS_ACTIVE),
            "heat source numa-maps-active (damon-paddr: "
                + NO_DAMON
                + "; idle-page: PFNs in pagemap need CAP_SYS_ADMIN)"),
        Arguments.of(
            "nothing preferred is available",
            probes(foreignPageout(), NO_LEFTOVER, false, true),
            List.of(SourceKind.DAMON_VADDR, SourceKind.IDLE_PAGE),
            "no heat source available (damon-vaddr: "
                + BUSY
                + "; idle-page: no page_idle/bitmap (CONFIG_IDLE_PAGE_TRACKING off))"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void choice(String name, HeatProbes probes, List<SourceKind> preference, String explanation) {
    SourceChooser.Choice c = SourceChooser.choose(probes, preference);
    assertThat(c.explanation()).isEqualTo(explanation);
    assertThat(c.chosen()).isEqualTo(c.candidates().stream().findFirst());
  }

  @Test
  void candidatesAreTheFallbacksInOrder() {
    SourceChooser.Choice c =
        SourceChooser.choose(
            probes(free(), NO_LEFTOVER, false, true), List.of(SourceKind.values()));
    assertThat(c.candidates())
        .containsExactly(
            SourceKind.DAMON_VADDR,
            SourceKind.DAMON_PADDR,
            SourceKind.CLEAR_REFS,
            SourceKind.NUMA_MAPS_ACTIVE);
    SourceChooser.Choice withSoftDirty =
        SourceChooser.choose(
            probes(free(), NO_LEFTOVER, false, true, Optional.empty()),
            HeatConfig.DEFAULT_PREFERENCE);
    assertThat(withSoftDirty.candidates())
        .as("the shipped order: soft-dirty after DAMON and idle-page, before plain clear-refs")
        .containsExactly(
            SourceKind.DAMON_VADDR,
            SourceKind.DAMON_PADDR,
            SourceKind.CLEAR_REFS_SOFT_DIRTY,
            SourceKind.CLEAR_REFS,
            SourceKind.NUMA_MAPS_ACTIVE);
  }

  @Test
  void withoutClearRefsThereIsNoSoftDirtyEither() {
    HeatProbes p =
        new HeatProbes(
            DamonStatus.absent(), NO_LEFTOVER, false, true, true, false, Optional.empty(), true);
    assertThat(SourceChooser.unavailable(p, SourceKind.CLEAR_REFS_SOFT_DIRTY))
        .contains("no /proc/PID/clear_refs");
  }

  @Test
  void capEff() {
    assertThat(HeatProbes.parseCapEff("Name:\tx\nCapEff:\t000001fffeffffff\n"))
        .isEqualTo(0x1fffeffffffL);
    assertThatThrownBy(() -> HeatProbes.parseCapEff("Name:\tx\n"))
        .isInstanceOf(KernelFsException.class)
        .hasMessage("<text>: malformed at token 'CapEff': no CapEff line");
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            "unknown label",
            (Runnable) () -> HeatConfig.parsePreference(List.of("damon")),
            "unknown heat source 'damon' (one of damon-vaddr, damon-paddr, idle-page,"
                + " clear-refs+soft-dirty, clear-refs, numa-maps-active, damon-observe)"),
        Arguments.of(
            "empty preference",
            (Runnable) () -> HeatConfig.defaults().withPreference(List.of()),
            "heat.sources must name at least one source"),
        Arguments.of(
            "duplicate",
            (Runnable)
                () ->
                    HeatConfig.defaults()
                        .withPreference(List.of(SourceKind.CLEAR_REFS, SourceKind.CLEAR_REFS)),
            "heat.sources names 'clear-refs' twice"),
        Arguments.of(
            "relative runtime dir",
            (Runnable) () -> HeatConfig.defaults().withRuntimeDir(java.nio.file.Path.of("run")),
            "heat.runtimeDir 'run' must be an absolute path"),
        Arguments.of(
            "chunk not a power of two",
            (Runnable)
                () ->
                    new HeatConfig(
                        List.of(SourceKind.IDLE_PAGE),
                        tierd.heat.damon.DamonConfig.defaults(),
                        3 << 20,
                        HeatConfig.DEFAULT_RUNTIME_DIR),
            "heat.chunkBytes 3145728 must be a power of two >= 4096"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void badConfig(String name, Runnable r, String message) {
    assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
