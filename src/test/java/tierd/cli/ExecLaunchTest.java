package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.daemon.StartupException;
import tierd.kernelfs.KernelRoot;
import tierd.model.CpuList;
import tierd.model.NodeSet;
import tierd.nativeio.Errno;
import tierd.nativeio.Mpol;
import tierd.nativeio.SyscallResult;
import tierd.source.proc.ProcStatus;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * {@code tierd exec}'s decisions against the captured VM trees: which nodes it prefers (fast tier
 * or {@code --nodes}, kept to memory nodes of Mems_allowed), the fallback to {@code MPOL_PREFERRED}
 * on EINVAL, and the exit codes. The kernel is a fake {@link ExecPort} that records the calls.
 */
class ExecLaunchTest {

  /** The calls made, as text, and the answers to give, in order. */
  static final class FakePort implements ExecPort {
    final List<String> calls = new ArrayList<>();
    final Deque<SyscallResult> policyAnswers = new ArrayDeque<>();
    SyscallResult execAnswer = SyscallResult.failed(Errno.ENOENT);

    FakePort answering(SyscallResult... answers) {
      policyAnswers.addAll(List.of(answers));
      return this;
    }

    @Override
    public SyscallResult set_mempolicy(int mode, NodeSet nodes) {
      calls.add("set_mempolicy(" + mode + ", " + nodes + ")");
      return policyAnswers.isEmpty() ? SyscallResult.ok(0) : policyAnswers.removeFirst();
    }

    @Override
    public SyscallResult execvp(String file, List<String> argv) {
      calls.add("execvp(" + file + ", " + argv + ")");
      return execAnswer;
    }
  }

  static Topology topology(String fixture) {
    KernelRoot root = Fixtures.root(fixture);
    return new TopologyReader(root, 4096).read(List.of());
  }

  /** The captured workload's status: its Mems_allowed and Cpus_allowed. */
  static ProcStatus status(String fixture) {
    return ProcStatus.read(Fixtures.root(fixture), 4242);
  }

  static Stream<Arguments> nodeSets() {
    return Stream.of(
        Arguments.of("2node: the DRAM node", "vm-2node", null, "fixture", "0"),
        Arguments.of("2node-flat: the classifier's fast tier", "vm-2node-flat", null, "0-1", "0"),
        Arguments.of("host: its one node", "host-1node", null, "fixture", "0"),
        Arguments.of("3node: both DRAM nodes", "vm-3node", null, "0-2", "0-1"),
        // The captured workload runs in a cpuset with mems 1-2: node 0 is not allowed.
        Arguments.of("3node: the cpuset drops node 0", "vm-3node", null, "fixture", "1"),
        Arguments.of("3node --nodes: the slow node", "vm-3node", "2", "fixture", "2"),
        Arguments.of("3node --nodes: kept to the cpuset", "vm-3node", "0-2", "fixture", "1-2"),
        Arguments.of("2node --nodes: no memory node 5", "vm-2node", "0-1,5", "fixture", "0-1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodeSets")
  void prefersTheFastTierOrTheGivenNodesWithinTheCpuset(
      String name, String fixture, String requested, String mems, String expected) {
    NodeSet memsAllowed =
        mems.equals("fixture") ? status(fixture).memsAllowed() : NodeSet.parse(mems);
    NodeSet nodes =
        ExecLaunch.preferredNodes(
            topology(fixture), Optional.ofNullable(requested).map(NodeSet::parse), memsAllowed);
    assertThat(nodes).isEqualTo(NodeSet.parse(expected));
  }

  static Stream<Arguments> noNodeLeft() {
    return Stream.of(
        Arguments.of(
            "fast tier outside the cpuset",
            null,
            "2",
            "the fast tier's nodes 0-1 are not in the cpuset's Mems_allowed 2 (memory nodes 0-2)"
                + " (run the command in a cpuset that allows a fast node, or pass --nodes)"),
        Arguments.of(
            "--nodes outside the cpuset",
            "0",
            "1-2",
            "--nodes 0: no memory node of these is in the cpuset's Mems_allowed 1-2 (memory nodes"
                + " 0-2) (pass nodes of Mems_allowed that have memory)"),
        Arguments.of(
            "--nodes without memory",
            "7",
            "0-2",
            "--nodes 7: no memory node of these is in the cpuset's Mems_allowed 0-2 (memory nodes"
                + " 0-2) (pass nodes of Mems_allowed that have memory)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noNodeLeft")
  void anEmptyIntersectionIsTierdsOwnErrorNamingBothSets(
      String name, String requested, String mems, String message) {
    assertThatThrownBy(
            () ->
                ExecLaunch.preferredNodes(
                    topology("vm-3node"),
                    Optional.ofNullable(requested).map(NodeSet::parse),
                    NodeSet.parse(mems)))
        .isInstanceOfSatisfying(
            StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(125))
        .hasMessage(message);
  }

  static Stream<Arguments> nearest() {
    return Stream.of(
        Arguments.of("runs on node 1's CPU", "0-1", "1", 1),
        Arguments.of("runs on node 0's CPU", "0-1", "0", 0),
        Arguments.of("both CPUs: a tie, the lower id", "0-1", "0-1", 0),
        Arguments.of("no CPU known: the lower id", "0-1", "", 0),
        Arguments.of("node 0's CPU, DRAM 1 (21) before slow 2 (28)", "1-2", "0", 1),
        Arguments.of("one candidate", "2", "1", 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nearest")
  void theFallbackNodeIsTheNearestToTheAllowedCpus(
      String name, String candidates, String cpus, int expected) {
    assertThat(
            ExecLaunch.nearestNode(
                topology("vm-3node"), NodeSet.parse(candidates), CpuList.parse(cpus)))
        .isEqualTo(expected);
  }

  @Test
  void setsPreferredManyAndSaysNothing() {
    FakePort port = new FakePort();
    StringWriter err = new StringWriter();
    ExecLaunch.Applied applied =
        ExecLaunch.setPolicy(
            port, topology("vm-3node"), NodeSet.parse("0-1"), CpuList.parse("1"), writer(err));
    assertThat(applied).isEqualTo(new ExecLaunch.Applied(5, NodeSet.parse("0-1")));
    assertThat(port.calls).containsExactly("set_mempolicy(5, 0-1)");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void einvalForPreferredManyFallsBackToPreferredOnTheNearestNodeInOneLine() {
    FakePort port = new FakePort().answering(SyscallResult.failed(Errno.EINVAL));
    StringWriter err = new StringWriter();
    ExecLaunch.Applied applied =
        ExecLaunch.setPolicy(
            port, topology("vm-3node"), NodeSet.parse("0-1"), CpuList.parse("1"), writer(err));
    assertThat(applied).isEqualTo(new ExecLaunch.Applied(Mpol.MPOL_PREFERRED, NodeSet.of(1)));
    assertThat(port.calls).containsExactly("set_mempolicy(5, 0-1)", "set_mempolicy(1, 1)");
    assertThat(err.toString())
        .isEqualTo(
            "tierd exec: this kernel refuses MPOL_PREFERRED_MANY (it needs Linux 5.15):"
                + " preferring node 1 only, the one of 0-1 nearest to CPUs 1\n");
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "EPERM for prefer-many: no fallback",
            List.of(SyscallResult.failed(Errno.EPERM)),
            List.of("set_mempolicy(5, 0-1)"),
            "set_mempolicy(MPOL_PREFERRED_MANY, 0-1) failed: EPERM(1) (the command was not"
                + " started)"),
        Arguments.of(
            "EINVAL for both",
            List.of(SyscallResult.failed(Errno.EINVAL), SyscallResult.failed(Errno.EINVAL)),
            List.of("set_mempolicy(5, 0-1)", "set_mempolicy(1, 0)"),
            "set_mempolicy(MPOL_PREFERRED, 0) failed: EINVAL(22) (the command was not started)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aRefusedPolicyIsTierdsOwnErrorAndNothingRuns(
      String name, List<SyscallResult> answers, List<String> calls, String message) {
    FakePort port = new FakePort().answering(answers.toArray(SyscallResult[]::new));
    assertThatThrownBy(
            () ->
                ExecLaunch.launch(
                    port,
                    topology("vm-3node"),
                    status("vm-2node"),
                    Optional.of(NodeSet.parse("0-1")),
                    List.of("redis-server", "--port", "7000"),
                    writer(new StringWriter())))
        .isInstanceOfSatisfying(
            StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(125))
        .hasMessage(message);
    assertThat(port.calls).isEqualTo(calls);
  }

  static Stream<Arguments> execFailures() {
    return Stream.of(
        Arguments.of("not found", SyscallResult.failed(Errno.ENOENT), 127, "command not found"),
        Arguments.of("not executable", SyscallResult.failed(Errno.EACCES), 126, "cannot run it"),
        Arguments.of("bad format (ENOEXEC)", SyscallResult.failed(8), 126, "cannot run it"),
        Arguments.of("argument list too long", SyscallResult.failed(Errno.E2BIG), 126, "cannot"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("execFailures")
  void setsThePolicyThenExecsAndMapsAFailedExecToEnvsExitCodes(
      String name, SyscallResult failure, int code, String message) {
    FakePort port = new FakePort();
    port.execAnswer = failure;
    StringWriter err = new StringWriter();
    int exit =
        ExecLaunch.launch(
            port,
            topology("vm-2node"),
            status("vm-2node"),
            Optional.empty(),
            List.of("redis-server", "--port", "7000"),
            writer(err));
    assertThat(exit).isEqualTo(code);
    assertThat(port.calls)
        .containsExactly(
            "set_mempolicy(5, 0)", "execvp(redis-server, [redis-server, --port, 7000])");
    assertThat(err.toString()).startsWith("tierd exec: redis-server: " + message);
  }

  @Test
  void aSuccessfulExecHasNoExitCode() {
    assertThatThrownBy(() -> ExecLaunch.exitCode(SyscallResult.ok(0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static PrintWriter writer(StringWriter w) {
    return new PrintWriter(w, true);
  }
}
