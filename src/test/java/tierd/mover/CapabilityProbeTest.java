package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.NodeSet;
import tierd.nativeio.Capabilities;
import tierd.nativeio.Errno;
import tierd.nativeio.NumaSyscalls;
import tierd.nativeio.SyscallResult;
import tierd.source.sys.NodeMasks;

/** The dry-run decision, as a table of probed facts; and the probe on this machine. */
class CapabilityProbeTest {

  static final long ALL_CAPS = 0x000001fffeffffffL;
  static final long NO_CAPS = 0;
  static final long NICE_ONLY = 1L << Capabilities.CAP_SYS_NICE;
  static final SyscallResult OK = SyscallResult.ok(0);
  static final NumaSyscalls.Policy MEMS_0_1 = new NumaSyscalls.Policy(OK, 0, NodeSet.of(0, 1));

  static Stream<Arguments> facts() {
    return Stream.of(
        row(
            "root on a 2-node host",
            null,
            OK,
            MEMS_0_1,
            NodeSet.of(0, 1),
            ALL_CAPS,
            null,
            List.of()),
        row(
            "one memory node",
            null,
            OK,
            MEMS_0_1,
            NodeSet.of(0),
            ALL_CAPS,
            "page moves disabled, running dry: only node 0 has memory: there is nothing to tier",
            List.of()),
        row(
            "seccomp refuses move_pages (default container profile)",
            null,
            SyscallResult.failed(Errno.EPERM),
            MEMS_0_1,
            NodeSet.of(0, 1),
            ALL_CAPS,
            "page moves disabled, running dry: move_pages is refused with EPERM even on tierd's own"
                + " process: a seccomp filter blocks it (containers need a profile that allows"
                + " move_pages, plus --pid=host and CAP_SYS_NICE)",
            List.of()),
        row(
            "kernel without NUMA",
            null,
            SyscallResult.failed(Errno.ENOSYS),
            new NumaSyscalls.Policy(SyscallResult.failed(Errno.ENOSYS), 0, NodeSet.empty()),
            NodeSet.of(0),
            ALL_CAPS,
            "page moves disabled, running dry: move_pages is not implemented by this kernel"
                + " (CONFIG_MIGRATION off); the kernel has no NUMA support (get_mempolicy: ENOSYS);"
                + " only node 0 has memory: there is nothing to tier",
            List.of()),
        row(
            "JNA does not load",
            "native syscalls unavailable (no jnidispatch for this platform)",
            null,
            null,
            NodeSet.of(0, 1),
            ALL_CAPS,
            "page moves disabled, running dry: native syscalls unavailable (no jnidispatch for"
                + " this platform)",
            List.of()),
        row(
            "unprivileged user",
            null,
            OK,
            MEMS_0_1,
            NodeSet.of(0, 1),
            NO_CAPS,
            UNPRIVILEGED,
            List.of(
                "no CAP_SYS_NICE: pages shared between processes cannot move (MPOL_MF_MOVE_ALL)")),
        row(
            "CAP_SYS_NICE only",
            null,
            OK,
            MEMS_0_1,
            NodeSet.of(0, 1),
            NICE_ONLY,
            UNPRIVILEGED,
            List.of()),
        row(
            "no sysfs node masks",
            null,
            OK,
            MEMS_0_1,
            null,
            ALL_CAPS,
            "page moves disabled, running dry: cannot tell the NUMA nodes with memory (sysfs has no"
                + " node/has_memory)",
            List.of()));
  }

  /** An unprivileged run is a look, not a service: dry-run with one message (issue 6). */
  static final String UNPRIVILEGED =
      "page moves disabled, running dry: unprivileged (no CAP_SYS_PTRACE): tierd can read and move"
          + " only its own user's processes; run it as root or through systemd/tierd.service to"
          + " move pages";

  static Arguments row(
      String name,
      String loadFailure,
      SyscallResult self,
      NumaSyscalls.Policy mems,
      NodeSet memory,
      long caps,
      String reason,
      List<String> warnings) {
    return Arguments.of(name, loadFailure, self, mems, memory, caps, reason, warnings);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("facts")
  void theDecisionFollowsTheFacts(
      String name,
      String loadFailure,
      SyscallResult self,
      NumaSyscalls.Policy mems,
      NodeSet memory,
      long caps,
      String reason,
      List<String> warnings) {
    Capabilities c = CapabilityProbe.assess(loadFailure, self, mems, memory, caps);
    assertThat(c.canMovePages()).as(name).isEqualTo(reason == null);
    assertThat(c.canQuery()).isEqualTo(loadFailure == null && !self.failed());
    assertThat(c.dryRunReason().orElse(null)).isEqualTo(reason);
    assertThat(c.warnings()).isEqualTo(warnings);
  }

  @Test
  void capEffIsReadFromTheStatusFile() {
    String status =
        "Name:\ttierd\nUmask:\t0022\nCapInh:\t0000000000000000\nCapPrm:\t000001fffeffffff\n"
            + "CapEff:\t0000000000800000\nCapBnd:\t000001fffeffffff\n";
    long caps = CapabilityProbe.parseCapEff(status);
    Capabilities c = CapabilityProbe.assess(null, OK, MEMS_0_1, NodeSet.of(0, 1), caps);
    assertThat(c.has(Capabilities.CAP_SYS_NICE)).isTrue();
    assertThat(c.canMoveShared()).isTrue();
    assertThat(c.has(Capabilities.CAP_SYS_PTRACE)).isFalse();
    assertThatThrownBy(() -> CapabilityProbe.parseCapEff("Name:\tx\n"))
        .isInstanceOf(KernelFsException.class)
        .hasMessage("<text>: malformed at token 'CapEff': missing key");
  }

  @Test
  void theProbeOnThisMachine() {
    Capabilities c = CapabilityProbe.probe(KernelRoot.host());
    NodeSet memory = NodeMasks.read(KernelRoot.host()).hasMemory();
    assertThat(c.memoryNodes()).isEqualTo(memory);
    assertThat(c.memsAllowed().containsAll(memory.intersect(c.memsAllowed()))).isTrue();
    if (memory.size() < 2) {
      assertThat(c.dryRunReason())
          .contains(
              "page moves disabled, running dry: only node "
                  + memory
                  + " has memory: there is nothing to tier");
    } else {
      assertThat(c.problems()).isEmpty();
    }
  }
}
