package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static tierd.heat.HeatFixtures.PAGE;
import static tierd.heat.HeatFixtures.present;
import static tierd.heat.HeatFixtures.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.heat.HeatFixtures;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.source.proc.Pagemap;

/**
 * clear-refs+soft-dirty against a fixture /proc: smaps for the per-VMA reads, a sparse pagemap file
 * with bit 55 on the written pages (entries shaped like the 6.1 guest's, see PagemapTest), and a
 * FIFO as clear_refs to see what the source writes, in which order.
 *
 * <p>Process 100: {@code BIG} is one 8 MiB anonymous VMA (four 2 MiB chunks) whose first half is
 * soft-dirty and whose second half is present but unwritten; a 2 MiB hugetlb VMA; the [vdso].
 */
class SoftDirtySourceTest {

  static final long MIB = 1 << 20;
  static final long BIG_START = 0x7f0000000000L;
  static final AddressRange BIG = AddressRange.ofSize(BIG_START, 8 * MIB);
  static final AddressRange HUGE = AddressRange.ofSize(0x7f0040000000L, 2 * MIB);
  static final AddressRange VDSO = AddressRange.ofSize(0x7ffd0000f000L, 2 * PAGE);

  /** Present + exclusive (+ soft-dirty), as in anon-16-pages.bin. */
  static long entry(long pfn, boolean softDirty) {
    return present(pfn) | (1L << Pagemap.BIT_EXCLUSIVE) | (softDirty ? 1L << 55 : 0);
  }

  static String smapsEntry(
      AddressRange r, String path, long rssKb, long referencedKb, long pageKb) {
    return String.format(
        "%x-%x rw-p 00000000 00:00 0                          %s%n"
            + "Size:           %8d kB%n"
            + "KernelPageSize: %8d kB%n"
            + "MMUPageSize:    %8d kB%n"
            + "Rss:            %8d kB%n"
            + "Pss:            %8d kB%n"
            + "Private_Dirty:  %8d kB%n"
            + "Referenced:     %8d kB%n"
            + "Anonymous:      %8d kB%n"
            + "AnonHugePages:         0 kB%n"
            + "Swap:                  0 kB%n"
            + "THPeligible:           0%n"
            + "VmFlags: rd wr mr mw me ac sd %n",
        r.start(),
        r.end(),
        path,
        r.sizeBytes() / 1024,
        pageKb,
        pageKb,
        rssKb,
        rssKb,
        rssKb,
        referencedKb,
        path.isEmpty() ? rssKb : 0);
  }

  final AtomicLong now = new AtomicLong(7_000_000_000L);

  /** The fixture; {@code bigReferencedKb}: smaps Referenced of BIG (its written half is 4096). */
  ClearRefsSource source(Path dir, long bigReferencedKb) {
    HeatFixtures.file(
        dir.resolve("proc/100/smaps"),
        smapsEntry(BIG, "", 8192, bigReferencedKb, 4)
            + smapsEntry(HUGE, "/anon_hugepage (deleted)", 2048, 2048, 2048)
            + smapsEntry(VDSO, "[vdso]", 8, 8, 4));
    long[] big = new long[(int) (BIG.sizeBytes() / PAGE)];
    for (int i = 0; i < big.length; i++) {
      big[i] = entry(0x10000 + i, i < big.length / 2);
    }
    HeatFixtures.pagemap(dir, 100, BIG_START, big);
    ClearRefsSource s =
        ClearRefsSource.withSoftDirty(
            KernelRoot.under(dir), PAGE, 2 * MIB, now::get, TunedWindow.everyCollect(now::get));
    s.update(List.of(process(100)));
    return s;
  }

  static RegionSample at(List<RegionSample> s, long start) {
    return s.stream().filter(r -> r.range().start() == start).findFirst().orElseThrow();
  }

  @Test
  void theWrittenHalfOfOneVmaIsHotAndTheRestColdPerChunk(@TempDir Path dir) {
    HeatFixtures.file(dir.resolve("proc/100/clear_refs"), "");
    ClearRefsSource s = source(dir, 4096);
    assertThat(s.name()).isEqualTo("clear-refs+soft-dirty");
    assertThat(s.collect()).as("the first collect only clears").isEmpty();
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    List<RegionSample> out = s.collect();

    for (int chunk = 0; chunk < 4; chunk++) {
      RegionSample r = at(out, BIG_START + chunk * 2 * MIB);
      assertThat(r.range().sizeBytes()).isEqualTo(2 * MIB);
      assertThat(r.maxAccesses()).isEqualTo(512);
      assertThat(r.accessFraction()).as("chunk " + chunk).isEqualTo(chunk < 2 ? 1.0 : 0.0);
      assertThat(r.window()).isEqualTo(Duration.ofSeconds(5));
      assertThat(r.source()).isEqualTo("clear-refs+soft-dirty");
    }
    RegionSample huge = at(out, HUGE.start());
    assertThat(huge.range()).as("hugetlb keeps the per-VMA sample").isEqualTo(HUGE);
    assertThat(huge.nrAccesses()).isEqualTo(1);
    assertThat(huge.maxAccesses()).isEqualTo(1);
    assertThat(out).noneMatch(r -> r.range().overlaps(VDSO));
    assertThat(out).hasSize(5);
  }

  @Test
  void readOnlyReferencedPagesAreSpreadOverTheUnwrittenHalf(@TempDir Path dir) {
    HeatFixtures.file(dir.resolve("proc/100/clear_refs"), "");
    // 6144 kB referenced: the 4096 kB written plus 2048 kB read somewhere in the other half
    ClearRefsSource s = source(dir, 6144);
    s.collect();
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    List<RegionSample> out = s.collect();
    assertThat(at(out, BIG_START).accessFraction()).isEqualTo(1.0);
    assertThat(at(out, BIG_START + 4 * MIB).nrAccesses()).isEqualTo(256);
    assertThat(at(out, BIG_START + 6 * MIB).nrAccesses()).isEqualTo(256);
    long total =
        out.stream().filter(r -> BIG.contains(r.range())).mapToLong(RegionSample::nrAccesses).sum();
    assertThat(total).as("the chunks add up to the VMA's Referenced pages").isEqualTo(6144 / 4);
  }

  @Test
  void clearsAccessedBitsFirstThenSoftDirty(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("proc/100/clear_refs");
    Files.createDirectories(fifo.getParent());
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "needs mkfifo");
    StringBuilder written = new StringBuilder();
    // One read-write open for the whole test: the FIFO always has a reader, so no write meets a
    // reader that is closing after an EOF (EPIPE: one collect's writes were lost that way under
    // load), and it never reads EOF between the writers.
    Thread reader =
        new Thread(
            () -> {
              try (RandomAccessFile in = new RandomAccessFile(fifo.toFile(), "rw")) {
                int b;
                while ((b = in.read()) >= 0) {
                  synchronized (written) {
                    written.append((char) b);
                  }
                  if (b == '.') {
                    return;
                  }
                }
              } catch (IOException e) {
                // the assertion below reports what arrived
              }
            });
    reader.setDaemon(true);
    reader.start();
    ClearRefsSource s = source(dir, 4096);
    s.collect();
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    s.collect();
    Files.writeString(fifo, ".");
    reader.join(TimeUnit.SECONDS.toMillis(10));
    synchronized (written) {
      assertThat(written.toString())
          .as("clear_refs writes of two collects, in order")
          .isEqualTo("1414.");
    }
  }

  @Test
  void perVmaClearRefsWritesOnlyTheOne(@TempDir Path dir) throws Exception {
    HeatFixtures.file(dir.resolve("proc/100/smaps"), smapsEntry(BIG, "", 8192, 4096, 4));
    HeatFixtures.file(dir.resolve("proc/100/clear_refs"), "");
    ClearRefsSource s = new ClearRefsSource(KernelRoot.under(dir), now::get);
    s.update(List.of(process(100)));
    s.collect();
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    List<RegionSample> out = s.collect();
    assertThat(Files.readString(dir.resolve("proc/100/clear_refs"))).isEqualTo("1");
    assertThat(out).singleElement().satisfies(r -> assertThat(r.range()).isEqualTo(BIG));
    assertThat(out.get(0).accessFraction()).as("one number for the VMA").isEqualTo(0.5);
    assertThat(out.stream().map(RegionSample::source).collect(Collectors.toSet()))
        .containsExactly("clear-refs");
  }
}
