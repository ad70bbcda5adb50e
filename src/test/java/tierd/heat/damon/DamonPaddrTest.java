package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tierd.heat.HeatFixtures.process;
import static tierd.heat.HeatFixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.heat.HeatFixtures;
import tierd.heat.RegionSample;
import tierd.heat.damon.FakeDamonKernel.Region;
import tierd.kernelfs.KernelFsException;
import tierd.model.AddressRange;

/** The paddr DAMON source: physical regions mapped back to processes through their pagemaps. */
class DamonPaddrTest extends DamonSourceTestBase {

  @Test
  void paddrRegionsAreMappedBackToProcesses() {
    PaddrFixture.memory(dir);
    // pages 0-7 of the VMA in physical region [16 MiB, 32 MiB), pages 8-15 in [32 MiB, 64 MiB)
    long[] entries = new long[16];
    for (int i = 0; i < 8; i++) {
      entries[i] = HeatFixtures.present(0x1000 + i);
      entries[8 + i] = HeatFixtures.present(0x3000 + i);
    }
    HeatFixtures.pagemap(dir, 100, A, entries);
    kernel.spawn(100);
    kernel.scriptPhysical(
        new Region(0, 16 * MIB, 1, 0),
        new Region(16 * MIB, 32 * MIB, 15, 2),
        new Region(32 * MIB, 64 * MIB, 0, 30),
        new Region(64 * MIB, 512 * MIB, 0, 40));

    DamonSource s = open(DamonSource.Mode.PADDR);
    assertThat(kernel.isRunning(0)).isTrue();
    String regions = DamonSource.CTX + "targets/0/regions/";
    assertThat(kernel.read(regions + "nr_regions")).isEqualTo("1");
    assertThat(kernel.read(regions + "0/end")).isEqualTo(Long.toString(512 * MIB));

    s.update(List.of(process(100, vma(A, A + 16 * HeatFixtures.PAGE, 16))));
    assertThat(s.collect())
        .containsExactly(
            new RegionSample(
                100,
                new AddressRange(A, A + 8 * HeatFixtures.PAGE),
                15,
                20,
                Duration.ofMillis(200),
                Duration.ofMillis(10),
                Duration.ofMillis(400),
                "damon-paddr"),
            new RegionSample(
                100,
                new AddressRange(A + 8 * HeatFixtures.PAGE, A + 16 * HeatFixtures.PAGE),
                0,
                20,
                Duration.ofMillis(200),
                Duration.ofMillis(10),
                Duration.ofMillis(6000),
                "damon-paddr"));
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  /**
   * A VMA larger than one pagemap read window ({@link PaddrMapper#WINDOW_PAGES}, 256 MiB of 4 KiB
   * pages) is read window by window, and a run of pages in one region goes on across the boundary.
   */
  @Test
  void paddrReadsALargeVmaInWindowsAndJoinsRunsAcrossThem() {
    PaddrFixture.memory(dir);
    int pages = (int) PaddrMapper.WINDOW_PAGES + 8;
    long[] entries = new long[pages];
    for (int i = 0; i < pages; i++) {
      entries[i] = HeatFixtures.present(0x1000 + i);
    }
    HeatFixtures.pagemap(dir, 100, A, entries);
    kernel.spawn(100);
    kernel.scriptPhysical(new Region(0, 512 * MIB, 5, 1));
    DamonSource s = open(DamonSource.Mode.PADDR);
    s.update(List.of(process(100, vma(A, A + pages * HeatFixtures.PAGE, pages))));
    List<RegionSample> streamed = new java.util.ArrayList<>();
    s.collect(streamed::add);
    assertThat(streamed)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.range()).isEqualTo(new AddressRange(A, A + pages * HeatFixtures.PAGE));
              assertThat(r.nrAccesses()).isEqualTo(5);
            });
    s.close();
  }

  @Test
  void paddrWithoutPfnsFailsWithPermission() {
    PaddrFixture.memory(dir);
    HeatFixtures.pagemap(dir, 100, A, 1L << 63, 1L << 63); // present, PFN hidden
    kernel.spawn(100);
    kernel.scriptPhysical(new Region(0, 512 * MIB, 1, 0));
    DamonSource s = open(DamonSource.Mode.PADDR);
    s.update(List.of(process(100, vma(A, A + 2 * HeatFixtures.PAGE, 2))));
    assertThatThrownBy(s::collect)
        .isInstanceOf(KernelFsException.class)
        .hasMessageEndingWith("every PFN reads 0: mapping paddr regions needs CAP_SYS_ADMIN");
    s.close();
  }
}
