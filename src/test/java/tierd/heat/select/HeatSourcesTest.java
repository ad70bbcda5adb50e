package tierd.heat.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.heat.HeatFixtures;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.Sleeper;
import tierd.heat.SourceKind;
import tierd.heat.damon.DamonSource;
import tierd.heat.damon.FakeDamonKernel;
import tierd.heat.damon.FakeDamonKernel.Feature;
import tierd.kernelfs.KernelRoot;
import tierd.model.ProcessId;

/** Choosing and opening against a fake kernel: fallbacks found at open time join the line. */
class HeatSourcesTest {

  @TempDir Path dir;
  HeatConfig config;

  @BeforeEach
  void setUp() {
    HeatFixtures.file(dir.resolve("proc/self/status"), "Name:\tjava\nCapEff:\t000001ffffffffff\n");
    HeatFixtures.file(dir.resolve("proc/self/clear_refs"), "");
    HeatFixtures.file(dir.resolve("proc/self/numa_maps"), "");
    HeatFixtures.file(dir.resolve("proc/kpageflags"), "");
    HeatFixtures.file(dir.resolve("sys/devices/system/memory/block_size_bytes"), "8000000\n");
    HeatFixtures.file(dir.resolve("sys/devices/system/memory/memory0/state"), "online\n");
    FakeDamonKernel.writeStat(dir.resolve("proc"), 77, 7777);
    config = HeatConfig.defaults().withRuntimeDir(dir.resolve("run/tierd"));
  }

  HeatSources.Env env(FakeDamonKernel k) {
    return new HeatSources.Env(
        KernelRoot.under(dir), k, new ProcessId(77, 7777), () -> 0L, Sleeper.none());
  }

  @Test
  void vaddrMissingAtOpenFallsBackToPaddr() {
    Set<Feature> v65 = EnumSet.of(Feature.AVAIL_OPERATIONS, Feature.TRIED_REGIONS, Feature.FILTERS);
    FakeDamonKernel k = new FakeDamonKernel(dir, v65);
    HeatSources.Opened o = HeatSources.open(config, env(k));
    assertThat(o.kind()).isEqualTo(SourceKind.DAMON_PADDR);
    assertThat(o.source()).isInstanceOf(DamonSource.class);
    assertThat(o.explanation())
        .isEqualTo(
            "heat source damon-paddr (damon-vaddr: DAMON lacks the DAMOS target filter (Linux"
                + " 6.6+) to tell targets apart)");
    o.source().close();
    assertThat(k.read("kdamonds/nr_kdamonds")).isEqualTo("0");
  }

  @Test
  void aForeignKdamondMeansClearRefs() {
    FakeDamonKernel k = new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12);
    k.foreignPaddr("pageout", true);
    HeatSources.Opened o = HeatSources.open(config, env(k));
    assertThat(o.kind()).isEqualTo(SourceKind.CLEAR_REFS);
    assertThat(o.source().name()).isEqualTo("clear-refs");
    assertThat(o.explanation())
        .startsWith("heat source clear-refs (damon-vaddr: DAMON busy (foreign kdamond 0 running")
        .contains("idle-page: no page_idle/bitmap");
    assertThat(k.writeLog()).isEmpty();
  }

  @Test
  void noneAvailableIsAnErrorWithEveryReason() {
    FakeDamonKernel k = new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12);
    k.foreignPaddr("pageout", true);
    assertThatThrownBy(
            () ->
                HeatSources.open(
                    config.withPreference(List.of(SourceKind.DAMON_VADDR, SourceKind.IDLE_PAGE)),
                    env(k)))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessage(
            "no heat source available (damon-vaddr: DAMON busy (foreign kdamond 0 running"
                + " paddr/pageout); idle-page: no page_idle/bitmap (CONFIG_IDLE_PAGE_TRACKING"
                + " off))");
  }
}
