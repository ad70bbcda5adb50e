package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.IntervalTuner;
import tierd.heat.damon.FakeDamonKernel.Feature;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;

/** The context layout tierd writes into its kdamond, over the fake DAMON kernel. */
class DamonContextTest {

  private static final String CTX = DamonSource.CTX;

  @TempDir Path dir;

  /** A context on a kernel with {@code features}, with kdamond 0 created as tierd creates it. */
  private DamonContext context(FakeDamonKernel kernel, DamonSource.Mode mode) {
    kernel.write("kdamonds/nr_kdamonds", "1");
    return new DamonContext(
        mode, kernel, KernelRoot.under(dir), kernel::write, rel -> readLong(kernel, rel));
  }

  private static long readLong(FakeDamonKernel kernel, String rel) {
    return Long.parseLong(kernel.read(rel).strip());
  }

  private static DamonIntervals intervals(FakeDamonKernel kernel) {
    IntervalTuner tuner =
        new IntervalTuner(
            0,
            DamonSourceTestBase.CONFIG.sampleInterval(),
            DamonSourceTestBase.CONFIG.minSampleInterval(),
            DamonSourceTestBase.CONFIG.maxSampleInterval());
    return new DamonIntervals(
        kernel, kernel::write, rel -> readLong(kernel, rel), tuner, Runnable::run);
  }

  @Test
  void vaddrTargetsEachGetAStatSchemeFilteredToThem() {
    FakeDamonKernel kernel = new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12);
    DamonContext context = context(kernel, DamonSource.Mode.VADDR);

    context.configure(DamonSourceTestBase.CONFIG, intervals(kernel));
    assertThat(kernel.read(CTX + "operations")).isEqualTo("vaddr");
    assertThat(kernel.read(CTX + "schemes/nr_schemes"))
        .as("the probe's scheme is gone")
        .isEqualTo("0");

    context.writeTargets(List.of(100, 200));
    assertThat(kernel.read(CTX + "targets/nr_targets")).isEqualTo("2");
    assertThat(kernel.read(CTX + "targets/1/pid_target")).isEqualTo("200");
    String scheme = CTX + "schemes/1/";
    assertThat(kernel.read(scheme + "action")).isEqualTo("stat");
    assertThat(kernel.read(scheme + "access_pattern/sz/max")).isEqualTo(DamonContext.ULONG_MAX);
    assertThat(kernel.read(scheme + "access_pattern/age/max")).isEqualTo(DamonContext.UINT_MAX);
    assertThat(kernel.read(scheme + "filters/0/type")).isEqualTo("target");
    assertThat(kernel.read(scheme + "filters/0/damon_target_idx")).isEqualTo("1");
    assertThat(kernel.read(scheme + "filters/0/matching")).isEqualTo("N");
  }

  @Test
  void aKernelWithCoreFiltersAndAllowGetsThemAndNoRegionOfAnotherTarget() {
    Set<Feature> v615 = EnumSet.copyOf(FakeDamonKernel.LINUX_6_12);
    v615.add(Feature.ALLOW);
    v615.add(Feature.CORE_FILTERS);
    FakeDamonKernel kernel = new FakeDamonKernel(dir, v615);
    DamonContext context = context(kernel, DamonSource.Mode.VADDR);

    context.configure(DamonSourceTestBase.CONFIG, intervals(kernel));
    context.writeTargets(List.of(100));

    String filter = CTX + "schemes/0/core_filters/0/";
    assertThat(kernel.read(filter + "damon_target_idx")).isEqualTo("0");
    assertThat(kernel.read(filter + "allow")).isEqualTo("N");
  }

  @Test
  void paddrWatchesTheOnlineMemoryBlocks() {
    DamonSourceTestBase.PaddrFixture.memory(dir);
    FakeDamonKernel kernel = new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12);
    DamonContext context = context(kernel, DamonSource.Mode.PADDR);

    context.configure(DamonSourceTestBase.CONFIG, intervals(kernel));

    String regions = CTX + "targets/0/regions/";
    assertThat(kernel.read(CTX + "operations")).isEqualTo("paddr");
    assertThat(kernel.read(regions + "nr_regions")).isEqualTo("1");
    assertThat(kernel.read(regions + "0/start")).isEqualTo("0");
    assertThat(kernel.read(regions + "0/end")).isEqualTo(Long.toString(4 * 0x8000000L));
    assertThat(kernel.read(CTX + "schemes/0/action")).isEqualTo("stat");
  }

  @Test
  void aMissingFeatureIsSaidWithTheKernelVersionThatHasIt() {
    Set<Feature> v62 = EnumSet.of(Feature.AVAIL_OPERATIONS, Feature.TRIED_REGIONS);
    FakeDamonKernel noFilters = new FakeDamonKernel(dir, v62);

    assertThatThrownBy(
            () ->
                context(noFilters, DamonSource.Mode.VADDR)
                    .configure(DamonSourceTestBase.CONFIG, intervals(noFilters)))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessageContaining("DAMON lacks DAMOS filters (Linux 6.3+) to tell vaddr targets apart");
  }

  @Test
  void operationsTheKernelDoesNotOfferAreSaidWithWhatItOffers() {
    FakeDamonKernel kernel =
        new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12).availOperations("paddr");

    assertThatThrownBy(
            () ->
                context(kernel, DamonSource.Mode.VADDR)
                    .configure(DamonSourceTestBase.CONFIG, intervals(kernel)))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessageContaining("DAMON lacks vaddr operations (avail_operations: paddr)");
  }

  @Test
  void theTriedRegionsAreReadBackPerSchemeInBytes() {
    FakeDamonKernel kernel = new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12);
    kernel.spawn(100);
    kernel.spawn(200);
    long start = 0x1000_0000L;
    long mib = 1L << 20;
    kernel.script(
        100,
        new FakeDamonKernel.Region(start, start + 4 * mib, 18, 3),
        new FakeDamonKernel.Region(start + 4 * mib, start + 8 * mib, 0, 9));
    kernel.script(200, new FakeDamonKernel.Region(start, start + 8 * mib, 5, 0));
    DamonContext context = context(kernel, DamonSource.Mode.VADDR);
    context.configure(DamonSourceTestBase.CONFIG, intervals(kernel));
    context.writeTargets(List.of(100, 200));
    kernel.write(DamonSource.K + "state", "on");
    kernel.write(DamonSource.K + "state", "update_schemes_tried_regions");

    assertThat(context.triedRegions(0))
        .containsExactly(
            new TriedRegion(new AddressRange(start, start + 4 * mib), 18, 3),
            new TriedRegion(new AddressRange(start + 4 * mib, start + 8 * mib), 0, 9));
    assertThat(context.triedRegions(1))
        .containsExactly(new TriedRegion(new AddressRange(start, start + 8 * mib), 5, 0));
  }
}
