package tierd.source.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tierd.Fixtures;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.model.NodeSet;

/** Status, stat, cgroup, maps, vmstat and zoneinfo parsers over real-shaped text. */
class ProcFilesTest {

  private static final String STATUS =
      """
      Name:\tjava
      Umask:\t0022
      State:\tS (sleeping)
      Tgid:\t4242
      Ngid:\t0
      Pid:\t4242
      PPid:\t1
      VmSize:\t 3717788 kB
      VmRSS:\t   52196 kB
      Threads:\t19
      Cpus_allowed:\t3
      Cpus_allowed_list:\t0-1
      Mems_allowed:\t00000000,00000003
      Mems_allowed_list:\t0-1
      """;

  @Test
  void status() {
    ProcStatus s = ProcStatus.parse(STATUS);
    assertThat(s.name()).isEqualTo("java");
    assertThat(s.tgid()).isEqualTo(4242);
    assertThat(s.vmRssBytes()).hasValue(52196L * 1024);
    assertThat(s.memsAllowed()).isEqualTo(NodeSet.of(0, 1));
    assertThat(s.cpusAllowed().toString()).isEqualTo("0-1");
    assertThat(s.kthread()).isFalse();
  }

  @Test
  void kernelThreadHasNoVmLines() {
    String kthread =
        "Name:\tkswapd0\nState:\tS (sleeping)\nTgid:\t88\nPid:\t88\nPPid:\t2\n"
            + "Kthread:\t1\nCpus_allowed_list:\t0-1\nMems_allowed_list:\t0\n";
    ProcStatus s = ProcStatus.parse(kthread);
    assertThat(s.kthread()).isTrue();
    assertThat(s.vmRssBytes()).isEmpty();
  }

  @Test
  void statusErrorsNameTheLine() {
    assertThatThrownBy(() -> ProcStatus.parse(STATUS.replace("52196 kB", "52196 MB")))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining(":9:")
        .hasMessageContaining("VmRSS");
    assertThatThrownBy(
            () ->
                ProcStatus.parse(
                    STATUS.replace("Mems_allowed_list:\t0-1", "Mems_allowed_list:\t0-z")))
        .hasMessageContaining("0-z");
  }

  @Test
  void statWithSpacesAndParensInComm() {
    String text =
        "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 1 0 0 0 3 1 0 0 20 0 1 0 987654 10000 50"
            + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    ProcStat s = ProcStat.parse(text);
    assertThat(s.comm()).isEqualTo("my (odd) prog");
    assertThat(s.state()).isEqualTo('S');
    assertThat(s.ppid()).isEqualTo(1);
    assertThat(s.startTimeTicks()).isEqualTo(987654);
    assertThat(s.isKernelThread()).isFalse();
  }

  @Test
  void statFlagsDetectKernelThreads() {
    String text =
        "88 (kswapd0) S 2 0 0 0 -1 2228288 0 0 0 0 0 0 0 0 20 0 1 0 35 0 0"
            + " 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 17 0 0 0 0 0 0";
    assertThat(ProcStat.parse(text).isKernelThread()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "running: its start time,          S, 987654",
    "zombie: no address space left,    Z,",
    "dead (X): no address space left,  X,",
    "no stat file: it exited,          ,",
  })
  void liveStartTimeTicksIsEmptyForAGoneProcess(
      String name, Character state, Long expected, @TempDir Path dir) throws IOException {
    if (state != null) {
      Path stat = dir.resolve("proc/4242/stat");
      Files.createDirectories(stat.getParent());
      Files.writeString(
          stat,
          "4242 (java) "
              + state
              + " 1 4242 4242 0 -1 4194560 1 0 0 0 3 1 0 0 20 0 1 0 987654 10000 50"
              + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
    }
    OptionalLong live = ProcStat.liveStartTimeTicks(KernelRoot.under(dir), 4242);
    assertThat(live).isEqualTo(expected == null ? OptionalLong.empty() : OptionalLong.of(expected));
  }

  @Test
  void statTruncated() {
    assertThatThrownBy(() -> ProcStat.parse("4242 (java) S 1 2 3"))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("22 fields");
  }

  @Test
  void cgroupHybrid() {
    ProcCgroup c =
        ProcCgroup.parse(
            "4:memory:/process_api/abc\n3:cpuset:/tierd-test\n1:cpu,cpuacct:/\n0::/user.slice\n");
    assertThat(c.unifiedPath()).hasValue("/user.slice");
    assertThat(c.v1Path("cpuset")).hasValue("/tierd-test");
    assertThat(c.v1Path("cpuacct")).hasValue("/");
    assertThatThrownBy(() -> ProcCgroup.parse("x::/"))
        .hasMessageContaining(":1:")
        .hasMessageContaining("'x'");
  }

  @Test
  void mapsKeepsPathsWithSpacesAndSkipsVsyscall() {
    List<ProcMaps.Mapping> m =
        ProcMaps.parse(
            """
            55d2a6d4a000-55d2a6d4b000 r--p 00000000 fe:01 1234  /usr/bin/my prog
            7efc637f2000-7efc63ff2000 rw-s 00000000 00:01 5     /dev/zero (deleted)
            7ffd1c1d0000-7ffd1c1f1000 rw-p 00000000 00:00 0     [stack]
            ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]
            """);
    assertThat(m).hasSize(3);
    assertThat(m.get(0).path()).isEqualTo("/usr/bin/my prog");
    assertThat(m.get(1).shared()).isTrue();
    assertThat(m.get(2).range()).isEqualTo(new AddressRange(0x7ffd1c1d0000L, 0x7ffd1c1f1000L));
  }

  @Test
  void vmstatKeepsTieringCountersOnly() {
    Vmstat v = Vmstat.read(Fixtures.root("host-1node"));
    assertThat(v.counters()).containsKeys("pgmigrate_success", "numa_hit");
    assertThat(v.counters()).doesNotContainKey("nr_free_pages");
    assertThat(v.counters().keySet()).allMatch(Vmstat::isTieringCounter);
    assertThatThrownBy(() -> Vmstat.parse("pgpromote_success 12\npgdemote_kswapd x\n"))
        .hasMessageContaining(":2:")
        .hasMessageContaining("'x'");
  }

  @Test
  void zoneinfoSumsZonesPerNodeAndIgnoresPagesetHigh() {
    Zoneinfo z = Zoneinfo.read(Fixtures.root("host-1node"));
    assertThat(z.nodes()).containsOnlyKeys(0);
    Zoneinfo.NodeWatermarks w = z.nodes().get(0);
    assertThat(w.minPages()).isPositive();
    assertThat(w.lowPages()).isGreaterThan(w.minPages());
    assertThat(w.highPages()).isGreaterThan(w.lowPages());
    assertThat(w.freePages()).isPositive();
  }

  @Test
  void zoneinfoTwoNodes() {
    String text =
        """
        Node 0, zone   Normal
          pages free     1000
                boost    0
                min      10
                low      20
                high     30
                promo    40
                spanned  4096
                present  4096
                managed  4000
          pagesets
            cpu: 0
                      count: 5
                      high:  999
                      batch: 63
            cpu: 1
                      count: 7
                      high:  999
                      batch: 63
          node_unreclaimable:  0
          start_pfn:           4096
        Node 1, zone  Movable
          pages free     500
                min      1
                low      2
                high     3
                managed  600
        """;
    Zoneinfo z = Zoneinfo.parse(text);
    assertThat(z.nodes().get(0))
        .as("free pages in the per-CPU lists: 5 + 7")
        .isEqualTo(new Zoneinfo.NodeWatermarks(1000, 10, 20, 30, 40, 4000, 12));
    assertThat(z.nodes().get(1)).isEqualTo(new Zoneinfo.NodeWatermarks(500, 1, 2, 3, -1, 600));
  }
}
