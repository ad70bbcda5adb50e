package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import tierd.TierdProcess;
import tierd.model.NodeSet;

/**
 * {@code tierd exec}'s command line (what is tierd's and what is the command's), its error exits
 * (125, never picocli's 2), which descriptors the command gets, and one real exec on this host.
 */
class ExecCommandTest {

  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of(
            "-- before the command",
            List.of("--nodes", "0-1", "--", "ls", "-l"),
            false,
            "0-1",
            List.of("ls", "-l")),
        Arguments.of(
            "options after the command are the command's",
            List.of("--fast-first", "numactl", "--nodes", "3", "--fast-first"),
            true,
            null,
            List.of("numactl", "--nodes", "3", "--fast-first")),
        Arguments.of(
            "a second -- belongs to the command",
            List.of("--fast-first", "--", "sh", "-c", "exit 3", "--", "x"),
            true,
            null,
            List.of("sh", "-c", "exit 3", "--", "x")),
        Arguments.of(
            "@file is an argument, not expanded",
            List.of("--fast-first", "curl", "-d", "@body.json"),
            true,
            null,
            List.of("curl", "-d", "@body.json")),
        Arguments.of(
            "both: --nodes decides",
            List.of("--fast-first", "--nodes", "2", "true"),
            true,
            "2",
            List.of("true")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandLines")
  void splitsTierdsOptionsFromTheCommand(
      String name, List<String> args, boolean fastFirst, String nodes, List<String> command) {
    List<String> full = new ArrayList<>(List.of("exec"));
    full.addAll(args);
    CommandLine cl = Main.commandLine(writer(new StringWriter()), writer(new StringWriter()));
    CommandLine.ParseResult parsed = cl.parseArgs(full.toArray(String[]::new));
    ExecCommand exec = (ExecCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(exec.fastFirst).isEqualTo(fastFirst);
    assertThat(exec.nodes).isEqualTo(nodes == null ? null : NodeSet.parse(nodes));
    assertThat(exec.command).isEqualTo(command);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            "neither --fast-first nor --nodes",
            List.of("exec", "true"),
            "tierd: tierd exec needs the nodes to prefer (pass --fast-first for the fast tier's"
                + " nodes, or --nodes LIST)"),
        Arguments.of(
            "no command",
            List.of("exec", "--fast-first"),
            "tierd: Missing required parameter: 'CMD' (see: tierd exec --help)"),
        Arguments.of(
            "unknown option",
            List.of("exec", "--fastest", "true"),
            "tierd: Unknown option: '--fastest' (see: tierd exec --help)"),
        Arguments.of(
            "an empty node list",
            List.of("exec", "--nodes", "", "true"),
            "tierd: Invalid value for option '--nodes': '' names no node (see: tierd exec"
                + " --help)"),
        Arguments.of(
            "a malformed node list",
            List.of("exec", "--nodes", "1-x", "true"),
            "tierd: Invalid value for option '--nodes': '1-x' is not a node list (e.g. 0-1 or"
                + " 2,3): nodelist: not an id (see: tierd exec --help)"),
        Arguments.of(
            "a config that does not load",
            List.of("exec", "--fast-first", "-c", "/nonexistent/tierd.yaml", "true"),
            "tierd: /nonexistent/tierd.yaml"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void everyOwnFailureExits125InOneLine(String name, List<String> args, String message) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), writer(out), writer(err));
    assertThat(code).isEqualTo(ExecLaunch.EXIT_TIERD);
    assertThat(err.toString()).startsWith(message).hasLineCount(1);
    assertThat(out.toString()).isEmpty();
  }

  static Stream<Arguments> descriptors() {
    return Stream.of(
        Arguments.of(
            "bin/tierd's list: keep what java inherited",
            List.of(0, 1, 2, 3, 4, 9, 10),
            "0,1,2,9",
            null,
            List.of(3, 4, 10)),
        Arguments.of("an empty list keeps 0-2", List.of(0, 1, 2, 5), "", null, List.of(5)),
        Arguments.of(
            "no list, socket activation: keep LISTEN_FDS from 3",
            List.of(0, 1, 2, 3, 4, 5, 9),
            null,
            "2",
            List.of(5, 9)),
        Arguments.of(
            "no list, no LISTEN_FDS: only 0-2", List.of(2, 1, 0, 3, 7), null, null, List.of(3, 7)),
        Arguments.of(
            "the list wins over LISTEN_FDS", List.of(0, 1, 2, 3, 4), "0,1,2,4", "2", List.of(3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("descriptors")
  void theCommandGetsOnlyTheDescriptorsJavaInherited(
      String name, List<Integer> open, String inherited, String listenFds, List<Integer> closed) {
    assertThat(
            KernelExecPort.descriptorsToClose(
                open, Optional.ofNullable(inherited), Optional.ofNullable(listenFds)))
        .isEqualTo(closed);
  }

  /**
   * The real thing on this host (Linux >= 5.15 with NUMA): the command runs with the JVM's pid, its
   * numa_maps shows the task policy {@code prefer (many):0} on every mapping, no signal is blocked,
   * and no descriptor of the JVM (its jar, the module image) is left open.
   */
  @Test
  void execsInPlaceWithThePolicyOnThisHost() throws IOException, InterruptedException {
    assumeThat(Files.exists(Path.of("/proc/self/numa_maps"))).as("a NUMA kernel").isTrue();
    List<String> cmd = new ArrayList<>(TierdProcess.command());
    cmd.addAll(
        List.of(
            "exec",
            "--nodes",
            "0",
            "--",
            "sh",
            "-c",
            // the mask is read with builtins before the shell forks anything: while it waits for
            // a child, dash blocks signals itself (sigblockall in waitproc), which a grep of
            // /proc/$$/status then saw now and then
            "while read -r key value; do [ \"$key\" = SigBlk: ] && printf 'SigBlk:\\t%s\\n'"
                + " \"$value\"; done < /proc/$$/status; echo pid $$;"
                + " for f in /proc/$$/fd/*; do readlink $f; done; exec cat /proc/self/numa_maps"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assumeThat(output).as("a kernel with MPOL_PREFERRED_MANY").doesNotContain("refuses");
    assertThat(output).contains("pid " + p.pid() + "\n").contains("SigBlk:\t0000000000000000");
    assertThat(output).doesNotContain(".jar").doesNotContain("lib/modules");
    List<String> mappings = output.lines().filter(l -> l.matches("^[0-9a-f]+ .*")).toList();
    assertThat(mappings)
        .isNotEmpty()
        .allMatch(l -> l.matches("^[0-9a-f]+ prefer \\(many\\):0( .*)?$"), "prefer-many");
  }

  private static PrintWriter writer(StringWriter w) {
    return new PrintWriter(w, true);
  }
}
