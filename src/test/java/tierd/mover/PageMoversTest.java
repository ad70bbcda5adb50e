package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.nativeio.Capabilities;
import tierd.nativeio.Errno;
import tierd.nativeio.NumaSyscalls;
import tierd.nativeio.SyscallResult;

class PageMoversTest {

  static final long ALL_CAPS = 0x000001fffeffffffL;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // case,                                   nodes, self,  jna,   dry-run, expected mover
    "can move,                                 0-1,   OK,    true,  false,   MovePagesMover",
    "operator asked for --dry-run,             0-1,   OK,    true,  true,    DryRunMover/querying",
    "one memory node: dry run that queries,    0,     OK,    true,  false,   DryRunMover/querying",
    "seccomp refuses move_pages: only records, 0-1,   EPERM, true,  false,   DryRunMover/recording",
    "JNA did not load: only records,           0-1,   OK,    false, false,   DryRunMover/recording",
  })
  void theMoverFollowsTheProbe(
      String name, String nodes, String self, boolean jna, boolean dryRun, String expected) {
    SyscallResult selfCall =
        self.equals("OK") ? SyscallResult.ok(0) : SyscallResult.failed(Errno.EPERM);
    Capabilities caps =
        CapabilityProbe.assess(
            jna ? null : "native syscalls unavailable (test)",
            jna ? selfCall : null,
            jna ? new NumaSyscalls.Policy(SyscallResult.ok(0), 0, NodeSet.parse(nodes)) : null,
            NodeSet.parse(nodes),
            ALL_CAPS);

    PageMover m = PageMovers.forHost(caps, KernelRoot.host(), MoverConfig.DEFAULT, dryRun);

    String kind = m.getClass().getSimpleName();
    if (m instanceof DryRunMover) {
      // A recording dry run makes no calls; a querying one asks the kernel (and finds no such pid).
      MoveReport r =
          m.move(
              List.of(
                  MoveRequest.basePages(
                      new ProcessId(Integer.MAX_VALUE, 1),
                      List.of(AddressRange.ofSize(0x1000, 4096)),
                      NodeSet.of(1),
                      0)));
      kind += r.total().pages(Outcome.ESRCH) == 1 ? "/querying" : "/recording";
    }
    assertThat(kind).as(name).isEqualTo(expected);
  }

  /**
   * On this host, whatever it allows: a dry run asked for never gets the real mover, and what the
   * probe found is said either as a load failure or as why pages cannot move, not both.
   */
  @Test
  void onTheRunningKernelADryRunAskedForNeverMoves() {
    PageMovers.OnHost host = PageMovers.onHost(KernelRoot.host(), MoverConfig.DEFAULT, true);

    assertThat(host.mover()).isInstanceOf(DryRunMover.class);
    if (host.cannotLoad().isPresent()) {
      assertThat(host.cannotLoad().get()).startsWith("cannot load the native syscalls (");
      assertThat(host.cannotMove()).isEmpty();
      assertThat(host.placement()).isEmpty();
    }
    host.cannotMove().ifPresent(why -> assertThat(why).isNotBlank());
  }
}
