package tierd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tierd.CapturedLog;
import tierd.Fixtures;
import tierd.kernelfs.KernelRoot;
import tierd.model.NodeSet;

class ProcessScannerTest {

  @RegisterExtension final CapturedLog logged = new CapturedLog(VmaReader.class);

  /**
   * The three 8 MiB buffers of process/host-thp (CAPTURE.txt): plain, MADV_NOHUGEPAGE,
   * MADV_HUGEPAGE.
   */
  static final long PLAIN = 0x7f24d8000000L;

  static final long NO_HUGEPAGE = 0x7f24d8800000L;
  static final long HUGEPAGE = 0x7f24d9000000L;

  /** The host-1node tree with pid 4242's maps, numa_maps and smaps from process/host-thp. */
  private static void withThpCapture(Path tmp) throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/host-1node"), tmp);
    for (String file : List.of("maps", "numa_maps", "smaps")) {
      Files.copy(
          Fixtures.path("process/host-thp/" + file),
          tmp.resolve("proc/4242/" + file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Each VMA carries smaps' THPeligible. smaps is read when maps changes only: a new THPeligible in
   * smaps is not seen while maps stays the same (numa_maps read again or not), and is at the next
   * change of maps; a VMA smaps does not list counts as eligible.
   */
  @Test
  void thpEligibilityIsReadFromSmapsOnlyWhenMapsChange(@TempDir Path tmp) throws IOException {
    withThpCapture(tmp);
    ProcessScanner s = new ProcessScanner(KernelRoot.under(tmp));
    StringBuilder reads = new StringBuilder();
    List<Vma> first = scanOne(s, reads);
    assertThat(vmaAt(first, PLAIN).thpEligible()).isFalse();
    assertThat(vmaAt(first, NO_HUGEPAGE).thpEligible()).isFalse();
    assertThat(vmaAt(first, HUGEPAGE).thpEligible()).isTrue();
    assertThat(first).filteredOn(Vma::thpEligible).hasSize(1);

    // The MADV_HUGEPAGE buffer turns ineligible in smaps, and numa_maps changes; maps does not.
    Path smaps = tmp.resolve("proc/4242/smaps");
    Files.writeString(
        smaps, Files.readString(smaps).replace("THPeligible:           1", "THPeligible:    0"));
    Path nm = tmp.resolve("proc/4242/numa_maps");
    long start = takePageFromNodeZero(nm);
    List<Vma> numaChanged = scanOne(s, reads);
    assertThat(reads).hasToString("RR");
    assertThat(vmaAt(numaChanged, start).pagesPerNode().get(0))
        .isEqualTo(vmaAt(first, start).pagesPerNode().get(0) - 1);
    assertThat(vmaAt(numaChanged, HUGEPAGE).thpEligible()).isTrue();

    // maps changes (a new VMA, not in smaps): smaps is read again
    Path maps = tmp.resolve("proc/4242/maps");
    Files.writeString(
        maps, Files.readString(maps) + "7ffff0000000-7ffff0001000 r--p 00000000 00:00 0 \n");
    Files.writeString(nm, Files.readString(nm) + "7ffff0000000 default\n");
    List<Vma> mapsChanged = scanOne(s, reads);
    assertThat(vmaAt(mapsChanged, HUGEPAGE).thpEligible()).isFalse();
    assertThat(vmaAt(mapsChanged, 0x7ffff0000000L).thpEligible()).isTrue();
  }

  /** A malformed smaps: one warning naming the file, every VMA eligible, the process kept. */
  @Test
  void malformedSmapsLeavesEveryVmaEligibleWithOneWarning(@TempDir Path tmp) throws IOException {
    withThpCapture(tmp);
    Path smaps = tmp.resolve("proc/4242/smaps");
    Files.writeString(
        smaps, Files.readString(smaps).replace("THPeligible:           1", "THPeligible:    2"));
    ProcessScanner s = new ProcessScanner(KernelRoot.under(tmp));
    ProcessScanner.Result r = s.scan(ProcessFilter.all(-1));
    assertThat(r.malformed()).isZero();
    assertThat(r.processes().get(0).vmas()).allMatch(Vma::thpEligible);
    // maps changes, smaps is read again and still malformed: no second warning for the process
    Path maps = tmp.resolve("proc/4242/maps");
    Files.writeString(
        maps, Files.readString(maps) + "7ffff0000000-7ffff0001000 r--p 00000000 00:00 0 \n");
    Path nm = tmp.resolve("proc/4242/numa_maps");
    Files.writeString(nm, Files.readString(nm) + "7ffff0000000 default\n");
    assertThat(s.scan(ProcessFilter.all(-1)).processes().get(0).vmas()).allMatch(Vma::thpEligible);
    assertThat(logged.at(Level.WARN))
        .singleElement()
        .asString()
        .startsWith(smaps + ":")
        .contains("at token 'THPeligible: 2': THPeligible: expected 0 or 1")
        .contains("pid 4242 count as THP-eligible");
  }

  /** Without smaps (the fixture trees, the fake kernel) every VMA is eligible, silently. */
  @Test
  void absentSmapsLeavesEveryVmaEligibleSilently() {
    ProcessScanner s = new ProcessScanner(Fixtures.root("host-1node"));
    assertThat(s.scan(ProcessFilter.all(-1)).processes().get(0).vmas())
        .isNotEmpty()
        .allMatch(Vma::thpEligible);
    assertThat(logged.atLeast(Level.INFO)).isEmpty();
  }

  @Test
  void fixtureProcess() {
    ProcessScanner s = new ProcessScanner(Fixtures.root("host-1node"));
    ProcessScanner.Result r = s.scan(ProcessFilter.all(-1));
    assertThat(r.processes()).hasSize(1);
    ManagedProcess p = r.processes().get(0);
    assertThat(p.pid()).isEqualTo(4242);
    assertThat(p.comm()).isEqualTo("python3");
    assertThat(p.allowedNodes()).isEqualTo(NodeSet.of(0));
    assertThat(p.cpusetMems()).hasValue(NodeSet.of(0));
    // the 8 MiB anonymous buffer the capture script's python process wrote
    assertThat(p.vmas()).anySatisfy(v -> assertThat(v.bytesOn(0)).isGreaterThanOrEqualTo(8L << 20));
    assertThat(p.bytesOn(0)).isLessThanOrEqualTo(p.rssBytes());
  }

  /** The 3-node guest: the workload runs in cgroup tierd-test with cpuset.mems=1-2. */
  @Test
  void guestWorkloadInACpuset() {
    ProcessScanner s = new ProcessScanner(Fixtures.root("vm-3node"));
    ManagedProcess p = s.scan(ProcessFilter.all(-1)).processes().get(0);
    assertThat(p.comm()).isEqualTo("tierd-workload");
    assertThat(p.cgroupPath()).isEqualTo("/tierd-test");
    assertThat(p.cpusetMems()).hasValue(NodeSet.of(1, 2));
    assertThat(p.allowedNodes()).isEqualTo(NodeSet.of(1, 2));
    assertThat(p.vmas().stream().map(v -> v.policy().toString()))
        .contains("bind:2", "interleave:1-2", "prefer (many):1", "prefer:1", "default");
    Vma bound =
        p.vmas().stream().filter(v -> v.policy().toString().equals("bind:2")).findFirst().get();
    assertThat(bound.bytesOn(2)).isEqualTo(bound.range().sizeBytes());
  }

  @Test
  void filtersByCommAndRss() {
    ProcessScanner s = new ProcessScanner(Fixtures.root("host-1node"));
    var noMatch =
        new ProcessFilter(Optional.of(Pattern.compile("java")), Optional.empty(), List.of(), 0, -1);
    assertThat(s.scan(noMatch).processes()).isEmpty();
    assertThat(s.scan(noMatch).filtered()).isEqualTo(1);
    var tooSmall = new ProcessFilter(Optional.empty(), Optional.empty(), List.of(), 1L << 40, -1);
    assertThat(s.scan(tooSmall).processes()).isEmpty();
    var cgroup = new ProcessFilter(Optional.empty(), Optional.empty(), List.of("/nope/**"), 0, -1);
    assertThat(s.scan(cgroup).processes()).isEmpty();
  }

  @Test
  void processThatExitsMidScanIsSkippedNotFatal(@TempDir Path tmp) throws IOException {
    // Two processes; pid 7's numa_maps vanished after its stat and status were read (it exited).
    Fixtures.copyTree(Fixtures.path("fixtures/host-1node"), tmp);
    Fixtures.clonePid(tmp, 4242, 7);
    Files.delete(tmp.resolve("proc/7/numa_maps"));
    ProcessScanner.Result r = new ProcessScanner(KernelRoot.under(tmp)).scan(ProcessFilter.all(-1));
    assertThat(r.processes()).extracting(ManagedProcess::pid).containsExactly(4242);
    assertThat(r.gone()).isEqualTo(1);
    assertThat(r.malformed()).isZero();
  }

  @Test
  void malformedFileSkipsTheProcessWithAMessage(@TempDir Path tmp) throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/host-1node"), tmp);
    Path nm = tmp.resolve("proc/4242/numa_maps");
    Files.writeString(nm, Files.readString(nm) + "7fff00000000 default anon=zz\n");
    ProcessScanner.Result r = new ProcessScanner(KernelRoot.under(tmp)).scan(ProcessFilter.all(-1));
    assertThat(r.processes()).isEmpty();
    assertThat(r.malformed()).isEqualTo(1);
    assertThat(r.errors()).singleElement().asString().contains("4242/numa_maps").contains("'zz'");
  }

  /**
   * A long-lived scanner reuses a process's VMAs while its maps and numa_maps are unchanged, and
   * sees every change: a page count in numa_maps, a VMA that grew in maps, and a pid reused by a
   * new process (another start time) whose files happen to be byte-identical.
   */
  @Test
  void keptScannerReusesUnchangedVmasAndSeesEveryChange(@TempDir Path tmp) throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/host-1node"), tmp);
    ProcessScanner s = new ProcessScanner(KernelRoot.under(tmp));
    List<Vma> first = s.scan(ProcessFilter.all(-1)).processes().get(0).vmas();
    List<Vma> again = s.scan(ProcessFilter.all(-1)).processes().get(0).vmas();
    assertThat(again).isSameAs(first);

    Path nm = tmp.resolve("proc/4242/numa_maps");
    long start = takePageFromNodeZero(nm);
    long before = vmaAt(first, start).pagesPerNode().get(0);
    List<Vma> changed = s.scan(ProcessFilter.all(-1)).processes().get(0).vmas();
    assertThat(changed).isNotSameAs(first);
    assertThat(vmaAt(changed, start).pagesPerNode().get(0)).isEqualTo(before - 1);

    Path maps = tmp.resolve("proc/4242/maps");
    String mapsText = Files.readString(maps);
    String mapsLine =
        mapsText.lines().filter(l -> l.startsWith(Long.toHexString(start) + "-")).findFirst().get();
    String endHex = mapsLine.substring(mapsLine.indexOf('-') + 1, mapsLine.indexOf(' '));
    long end = Long.parseLong(endHex, 16);
    String grown = Long.toHexString(end + 4096);
    Files.writeString(
        maps, mapsText.replace(mapsLine, mapsLine.replace("-" + endHex, "-" + grown)));
    List<Vma> regrown = s.scan(ProcessFilter.all(-1)).processes().get(0).vmas();
    assertThat(vmaAt(regrown, start).range().end()).isEqualTo(end + 4096);

    // Same pid, same files, another process: the start time (stat field 22) differs.
    Path stat = tmp.resolve("proc/4242/stat");
    String[] f = Files.readString(stat).split(" ");
    f[21] = String.valueOf(Long.parseLong(f[21]) + 1);
    Files.writeString(stat, String.join(" ", f));
    List<Vma> reused = s.scan(ProcessFilter.all(-1)).processes().get(0).vmas();
    assertThat(reused).isNotSameAs(regrown).isEqualTo(regrown);
  }

  /**
   * numaMapsMaxAge: while maps and RSS stay the same, numa_maps is read every 1, 2, 4, ... scans up
   * to the max age; a change it holds shows at its next read, a change in maps or RSS at once, and
   * readNextScan and refresh read it on demand.
   */
  @Test
  void quietProcessHasItsNumaMapsReadLessOftenUpToTheMaxAge(@TempDir Path tmp) throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/host-1node"), tmp);
    ProcessScanner s = new ProcessScanner(KernelRoot.under(tmp));
    s.numaMapsMaxAge(4);
    StringBuilder reads = new StringBuilder();
    List<Vma> first = scanOne(s, reads);
    for (int i = 2; i <= 12; i++) {
      assertThat(scanOne(s, reads)).isSameAs(first);
    }
    assertThat(reads).hasToString("RR-R---R---R");

    // pages the kernel moved (numa_maps only): seen at the next read, 4 scans after the last
    Path nm = tmp.resolve("proc/4242/numa_maps");
    long start = takePageFromNodeZero(nm);
    long before = vmaAt(first, start).pagesPerNode().get(0);
    reads.setLength(0);
    List<Long> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(vmaAt(scanOne(s, reads), start).pagesPerNode().get(0));
    }
    assertThat(reads).hasToString("---R");
    assertThat(seen).containsExactly(before, before, before, before - 1);
    // a change read resets the period: the next scan reads again
    scanOne(s, reads);
    assertThat(reads).hasToString("---RR");

    // RSS changed (status): read at once, even mid-period
    scanOne(s, reads);
    Path status = tmp.resolve("proc/4242/status");
    String statusText = Files.readString(status);
    String rssLine = statusText.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().get();
    long rssKb = Long.parseLong(rssLine.replaceAll("\\D", ""));
    Files.writeString(status, statusText.replace(rssLine, "VmRSS:\t" + (rssKb + 4) + " kB"));
    scanOne(s, reads);
    assertThat(reads).hasToString("---RR-R");

    // maps changed (a new VMA, which numa_maps lists too): read at once
    scanOne(s, reads);
    Path maps = tmp.resolve("proc/4242/maps");
    Files.writeString(
        maps, Files.readString(maps) + "7ffff0000000-7ffff0001000 r--p 00000000 00:00 0 \n");
    Files.writeString(nm, Files.readString(nm) + "7ffff0000000 default\n");
    scanOne(s, reads);
    assertThat(reads).hasToString("---RR-R-R");

    // asked for: readNextScan (the second scan after a read would keep the VMAs, as the 6th did),
    // and refresh, which says whether the VMAs changed
    scanOne(s, reads);
    s.readNextScan(4242);
    scanOne(s, reads);
    assertThat(reads).hasToString("---RR-R-RRR");
    List<Vma> kept = scanOne(s, reads);
    assertThat(reads).hasToString("---RR-R-RRR-");
    long startTime = startTimeOf(tmp);
    assertThat(s.refresh(4242, startTime)).isEmpty();
    assertThat(s.readThisScan(4242)).isTrue();
    Files.writeString(nm, Files.readString(nm).replace(" default ", " bind:0 "));
    assertThat(s.refresh(4242, startTime))
        .hasValueSatisfying(
            v -> {
              assertThat(v).isNotSameAs(kept);
              assertThat(v).anySatisfy(x -> assertThat(x.policy().toString()).isEqualTo("bind:0"));
            });
  }

  private static long startTimeOf(Path root) {
    return new ProcessScanner(KernelRoot.under(root))
        .scan(ProcessFilter.all(-1))
        .processes()
        .get(0)
        .startTimeTicks();
  }

  /** One scan of the single fixture process: its VMAs; appends R (numa_maps read) or - to reads. */
  private static List<Vma> scanOne(ProcessScanner s, StringBuilder reads) {
    List<Vma> v = s.scan(ProcessFilter.all(-1)).processes().get(0).vmas();
    reads.append(s.readThisScan(4242) ? 'R' : '-');
    return v;
  }

  @Test
  void numaMapsMaxAgeBelowOneScanIsRefused() {
    ProcessScanner s = new ProcessScanner(Fixtures.root("host-1node"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.numaMapsMaxAge(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Takes one page on node 0 from the first VMA of a numa_maps file that has two or more there (as
   * if the kernel had moved one away); returns that VMA's start. (Adding one could count more pages
   * than the VMA spans, which the scan rejects.)
   */
  private static long takePageFromNodeZero(Path numaMaps) throws IOException {
    String text = Files.readString(numaMaps);
    String line =
        text.lines().filter(l -> l.matches(".* N0=([2-9]|\\d\\d+) .*")).findFirst().orElseThrow();
    java.util.regex.Matcher n0 = Pattern.compile(" N0=(\\d+)").matcher(line);
    assertThat(n0.find()).isTrue();
    long pages = Long.parseLong(n0.group(1));
    Files.writeString(
        numaMaps, text.replace(line, line.replaceFirst(" N0=\\d+", " N0=" + (pages - 1))));
    return Long.parseLong(line.substring(0, line.indexOf(' ')), 16);
  }

  private static Vma vmaAt(List<Vma> vmas, long start) {
    return vmas.stream().filter(v -> v.range().start() == start).findFirst().orElseThrow();
  }

  /** The real kernel: a child process with a 32 MiB buffer shows up with its pages on node 0. */
  @Test
  void realKernelChildProcess() throws Exception {
    assumeThat(Files.isReadable(Path.of("/proc/self/numa_maps")))
        .as("kernel without NUMA (no /proc/self/numa_maps)")
        .isTrue();
    Process child =
        new ProcessBuilder(
                "python3",
                "-c",
                "import mmap,sys,time\n"
                    + "b=mmap.mmap(-1,32<<20)\nb.write(b'x'*(32<<20))\n"
                    + "print('ready',flush=True)\ntime.sleep(60)")
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(new String(child.getInputStream().readNBytes(6))).isEqualTo("ready\n");
      ProcessScanner s = new ProcessScanner(KernelRoot.host());
      ManagedProcess p = s.read((int) child.pid(), ProcessFilter.all(-1)).orElseThrow();
      assertThat(p.comm()).startsWith("python");
      assertThat(p.allowedNodes().contains(0)).isTrue();
      assertThat(p.vmas())
          .anySatisfy(
              v -> {
                assertThat(v.range().sizeBytes()).isEqualTo(32L << 20);
                assertThat(v.bytesOn(0)).isEqualTo(32L << 20);
                assertThat(v.policy().toString()).isEqualTo("default");
              });
    } finally {
      child.destroy();
      child.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The VMA limit (issue 14, point 5): 20 generated processes of 50 VMAs, at most 230 VMAs. The
   * largest RSS come first: the four largest whole, the fifth cut to its 30 VMAs with the most
   * present bytes, the 15 others left out; counted, and said once.
   */
  @Test
  void vmaLimitCoversTheLargestProcessesFirst(@TempDir Path tmp) throws IOException {
    tierd.bench.ScaleTree.write(tmp, 20, 50);
    ProcessScanner s = new ProcessScanner(KernelRoot.under(tmp));
    ProcessScanner.Result all = s.scan(ProcessFilter.all(-1));
    List<ManagedProcess> byRss =
        all.processes().stream()
            .sorted(java.util.Comparator.comparingLong(ManagedProcess::rssBytes).reversed())
            .toList();
    ProcessScanner.Result r = s.scan(ProcessFilter.all(-1), ProcessScanner.ANY_NODE, 230);
    assertThat(r.processes())
        .extracting(ManagedProcess::pid)
        .containsExactlyElementsOf(byRss.subList(0, 5).stream().map(ManagedProcess::pid).toList());
    assertThat(r.processes().subList(0, 4)).allSatisfy(p -> assertThat(p.vmas()).hasSize(50));
    ManagedProcess cut = r.processes().get(4);
    assertThat(cut.vmas()).hasSize(30);
    long smallestKept = cut.vmas().stream().mapToLong(Vma::presentBytes).min().orElseThrow();
    assertThat(byRss.get(4).vmas())
        .filteredOn(v -> !cut.vmas().contains(v))
        .hasSize(20)
        .allSatisfy(v -> assertThat(v.presentBytes()).isLessThanOrEqualTo(smallestKept));
    assertThat(r.vmas()).isEqualTo(230);
    assertThat(r.leftOutProcesses()).isEqualTo(15);
    assertThat(r.leftOutVmas()).isEqualTo(20);
    assertThat(r.leftOutRssBytes())
        .isEqualTo(byRss.subList(5, 20).stream().mapToLong(ManagedProcess::rssBytes).sum());
    // the cut process's VMAs are in address order, as the kernel lists them
    assertThat(cut.vmas())
        .isSortedAccordingTo(java.util.Comparator.comparingLong(v -> v.range().start()));
  }
}
