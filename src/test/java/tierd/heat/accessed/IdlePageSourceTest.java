package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tierd.heat.HeatFixtures.PAGE;
import static tierd.heat.HeatFixtures.present;
import static tierd.heat.HeatFixtures.process;
import static tierd.heat.HeatFixtures.vma;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.heat.HeatFixtures;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;

/**
 * Idle-page tracking against fixture files: pagemap, kpageflags and the idle bitmap are plain files
 * here, and the test plays the kernel's part between cycles by clearing the idle bits of the pages
 * the "workload" touched (the real bitmap read does that through rmap).
 *
 * <p>Layout of process 100: a 2 MiB THP at {@code A} (head PFN 0x200, tails 0x201-0x3ff), then at
 * {@code A + 2 MiB} four normal pages (PFNs 0x100-0x103), the shared zero page (not trackable) and
 * a page that is not present.
 */
class IdlePageSourceTest {

  static final long A = 0x4000_0000L;
  static final long MIB = 1 << 20;
  static final long LRU = 1L << KPageFlags.KPF_LRU;
  static final long THP = 1L << KPageFlags.KPF_THP;
  static final long HEAD = 1L << KPageFlags.KPF_COMPOUND_HEAD;
  static final long TAIL = 1L << KPageFlags.KPF_COMPOUND_TAIL;
  static final long ZERO = 1L << IdlePageSource.KPF_ZERO_PAGE;
  static final long ZERO_PFN = 0x50;

  @TempDir Path dir;
  final AtomicLong now = new AtomicLong(5_000_000_000L);
  IdlePageSource source;
  Path bitmap;

  @BeforeEach
  void setUp() {
    long[] thp = new long[512];
    for (int i = 0; i < 512; i++) {
      thp[i] = present(0x200 + i);
    }
    HeatFixtures.pagemap(dir, 100, A, thp);
    HeatFixtures.pagemap(
        dir,
        100,
        A + 2 * MIB,
        present(0x100),
        present(0x101),
        present(0x102),
        present(0x103),
        present(ZERO_PFN),
        0);
    Path kpf = dir.resolve("proc/kpageflags");
    HeatFixtures.writeWords(kpf, 0x100, LRU, LRU, LRU, LRU);
    HeatFixtures.writeWords(kpf, ZERO_PFN, ZERO);
    long[] thpFlags = new long[512];
    thpFlags[0] = HEAD | THP | LRU;
    for (int i = 1; i < 512; i++) {
      thpFlags[i] = TAIL | THP | LRU;
    }
    HeatFixtures.writeWords(kpf, 0x200, thpFlags);
    bitmap = dir.resolve("sys/kernel/mm/page_idle/bitmap");
    HeatFixtures.writeWords(bitmap, 0, new long[16]);
    source = new IdlePageSource(KernelRoot.under(dir), 2 * MIB, now::get);
    source.update(List.of(process(100, vma(A, A + 2 * MIB + 6 * PAGE, 517))));
  }

  long word(long index) throws Exception {
    byte[] b = Files.readAllBytes(bitmap);
    return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong((int) index * 8);
  }

  /** The kernel's side: an access makes the page (its head for a THP) not idle any more. */
  void touch(long pfn) throws Exception {
    HeatFixtures.writeWords(bitmap, pfn >>> 6, word(pfn >>> 6) & ~(1L << (pfn & 63)));
  }

  @Test
  void marksFirstThenCountsAccessedPagesPerChunk() throws Exception {
    assertThat(source.collect()).isEmpty();
    assertThat(word(0x100 >>> 6)).as("normal pages marked idle").isEqualTo(0xfL);
    assertThat(word(0x200 >>> 6)).as("only the THP head is marked").isEqualTo(1L);
    assertThat(word(0x240 >>> 6)).as("tails are never marked").isZero();
    assertThat(word(ZERO_PFN >>> 6) & (1L << (ZERO_PFN & 63))).as("zero page").isZero();

    touch(0x200); // the THP
    touch(0x101);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    List<RegionSample> s = source.collect();
    assertThat(s)
        .containsExactly(
            new RegionSample(
                100,
                new AddressRange(A, A + 2 * MIB),
                512,
                512,
                Duration.ofSeconds(1),
                Duration.ZERO,
                "idle-page"),
            new RegionSample(
                100,
                new AddressRange(A + 2 * MIB, A + 2 * MIB + 6 * PAGE),
                1,
                4,
                Duration.ofSeconds(1),
                Duration.ZERO,
                "idle-page"));

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    s = source.collect();
    assertThat(s).extracting(RegionSample::nrAccesses).containsExactly(0, 0);
    assertThat(s).extracting(RegionSample::window).containsOnly(Duration.ofSeconds(2));

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    s = source.collect();
    assertThat(s).extracting(RegionSample::age).containsOnly(Duration.ofSeconds(2));
  }

  @Test
  void aVmaStartingMidThpFindsItsHead() throws Exception {
    long[] tails = new long[256];
    for (int i = 0; i < 256; i++) {
      tails[i] = present(0x300 + i); // the second half of the THP, mapped elsewhere
    }
    HeatFixtures.pagemap(dir, 200, A, tails);
    source.update(List.of(process(200, vma(A, A + MIB, 256))));
    source.collect();
    assertThat(word(0x200 >>> 6)).isEqualTo(1L);
    touch(0x200);
    now.addAndGet(1);
    assertThat(source.collect())
        .extracting(RegionSample::nrAccesses, RegionSample::maxAccesses)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(256, 256));
  }

  @Test
  void hiddenPfnsMeanNoCapSysAdmin() {
    HeatFixtures.pagemap(dir, 300, A, 1L << 63, 1L << 63);
    source.update(List.of(process(300, vma(A, A + 2 * PAGE, 2))));
    assertThatThrownBy(source::collect)
        .isInstanceOf(KernelFsException.class)
        .hasMessageEndingWith("every PFN reads 0: idle-page tracking needs CAP_SYS_ADMIN");
  }

  @Test
  void aProcessWithoutPagemapHasExited() {
    source.update(List.of(process(400, vma(A, A + 2 * PAGE, 2))));
    assertThat(source.collect()).isEmpty();
  }

  /**
   * The region limit reaches the chunk: 1 GiB resident in 2 MiB chunks is 512 samples; with room
   * for 100 the chunk grows to 16 MiB (64 samples), never past 1 GiB.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "limit {0}")
  @org.junit.jupiter.params.provider.CsvSource({
    "1000, 2097152",
    "512, 2097152",
    "100, 16777216",
    "1, 1073741824"
  })
  void chunksGrowToFitTheRegionLimit(int maxRegions, long chunkBytes) {
    long pages = (1L << 30) / HeatFixtures.PAGE;
    var p =
        HeatFixtures.process(
            100, HeatFixtures.vma(0x7f0000000000L, 0x7f0000000000L + (1L << 30), pages));
    assertThat(IdlePageSource.chunkFor(List.of(p), 2L << 20, maxRegions)).isEqualTo(chunkBytes);
  }
}
