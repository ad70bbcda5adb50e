package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.heat.HeatFixtures.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;
import tierd.heat.HeatFixtures;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.process.Vma;
import tierd.process.VmaJoin;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcMaps;

class NumaMapsActiveSourceTest {

  @TempDir Path dir;

  @Test
  void activeShareOfEachVmaAndTheCaptureShowsWhyItIsWeak() {
    HeatFixtures.file(
        dir.resolve("proc/100/numa_maps"), Fixtures.text("heat/host-smaps/numa_maps"));
    HeatFixtures.file(dir.resolve("proc/100/maps"), Fixtures.text("heat/host-smaps/maps"));
    // The VMAs as the discover stage reads them (maps joined with numa_maps): the source takes its
    // counts from there instead of walking numa_maps a second time.
    KernelRoot root = KernelRoot.under(dir);
    Vma[] vmas =
        VmaJoin.join(ProcMaps.read(root, 100), NumaMaps.read(root, 100)).vmas().toArray(Vma[]::new);
    AtomicLong now = new AtomicLong();
    NumaMapsActiveSource s = new NumaMapsActiveSource(now::get);
    s.update(List.of(process(100, vmas)));
    assertThat(s.collect()).isEmpty();

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    List<RegionSample> out = s.collect();
    RegionSample hot =
        out.stream()
            .filter(r -> r.range().equals(new AddressRange(0x7f5d6566d000L, 0x7f5d65e6d000L)))
            .findFirst()
            .orElseThrow();
    // Written twice, but reclaim never scanned it: still on the inactive list.
    assertThat(hot.nrAccesses()).isZero();
    assertThat(hot.maxAccesses()).isEqualTo(2048);
    assertThat(hot.window()).isEqualTo(Duration.ofSeconds(1));
    // VMAs without "active=" are entirely active (the kernel omits it when active == pages).
    assertThat(out).anyMatch(r -> r.nrAccesses() == r.maxAccesses());
  }

  /**
   * A sample counts in ints: a VMA of 3 billion present pages (11 TiB), which numa_maps and maps
   * allow, is counted in proportion rather than failing the heat stage every cycle.
   */
  @Test
  void aVmaOfMoreThanTwoBillionPagesIsCountedInProportion() {
    long pages = 3_000_000_000L;
    Vma huge =
        new Vma(
            AddressRange.ofSize(0x100000000L, pages * 4096),
            "rw-p",
            "",
            tierd.model.MemPolicy.DEFAULT,
            NumaMaps.Backing.ANON,
            false,
            4096,
            pages,
            1,
            new java.util.TreeMap<>(java.util.Map.of(0, pages)),
            pages / 3);
    AtomicLong now = new AtomicLong();
    NumaMapsActiveSource s = new NumaMapsActiveSource(now::get);
    s.update(List.of(process(100, huge)));
    s.collect();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    RegionSample r = s.collect().get(0);
    assertThat(r.maxAccesses()).isEqualTo(Integer.MAX_VALUE);
    assertThat(r.accessFraction()).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-6));
  }
}
