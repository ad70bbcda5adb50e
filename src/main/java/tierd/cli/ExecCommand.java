package tierd.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tierd.config.TierdConfig;
import tierd.daemon.StartupException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.PageSize;
import tierd.model.MalformedValueException;
import tierd.model.NodeSet;
import tierd.source.proc.ProcStatus;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * {@code tierd exec}: runs a command in place (same pid, no JVM left) under a memory policy that
 * prefers the fast tier, so its new pages go there first and demotion, not the allocator, puts cold
 * data on the slow tier (issue 19, seed 002).
 */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description = {
      "Run CMD in place of tierd (same pid) with MPOL_PREFERRED_MANY over the fast tier's nodes"
          + " that the cpuset allows: new pages go to the fast tier while it has room, then down"
          + " the fallback list. Before Linux 5.15: MPOL_PREFERRED on the nearest of those nodes.",
      "Exit status: CMD's own; 125 tierd's error (options, no node to prefer, policy refused);"
          + " 126 CMD found but not runnable; 127 CMD not found."
    })
final class ExecCommand implements Callable<Integer> {

  @Option(
      names = "--fast-first",
      description = "Prefer the nodes of the fastest memory tier (as `tierd topology` shows it).")
  boolean fastFirst;

  @Option(
      names = "--nodes",
      paramLabel = "LIST",
      converter = NodeListConverter.class,
      description =
          "Prefer these nodes (kernel list format, e.g. 0-1,3) instead of the fast tier's;"
              + " kept to the memory nodes of the cpuset's Mems_allowed.")
  NodeSet nodes;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "tierd configuration; its 'tiers' override decides the fast tier.")
  Path config;

  @Parameters(
      arity = "1..*",
      paramLabel = "CMD",
      description = "The command and its arguments (after --, or from the first non-option).")
  List<String> command;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!fastFirst && nodes == null) {
      throw new StartupException(
          ExecLaunch.EXIT_TIERD,
          "tierd exec needs the nodes to prefer",
          "pass --fast-first for the fast tier's nodes, or --nodes LIST");
    }
    TierdConfig c = config == null ? TierdConfig.defaults() : TierdConfig.load(config);
    KernelRoot root = KernelRoot.host();
    Topology topology = new TopologyReader(root, PageSize.of(root)).read(c.tiers());
    ProcStatus self = ProcStatus.read(root, (int) ProcessHandle.current().pid());
    PrintWriter out = spec.commandLine().getOut();
    out.flush();
    return ExecLaunch.launch(
        KernelExecPort.load(),
        topology,
        self,
        Optional.ofNullable(nodes),
        command,
        spec.commandLine().getErr());
  }

  /** {@code --nodes}: the kernel's list format; a bad list is a usage error. */
  static final class NodeListConverter implements CommandLine.ITypeConverter<NodeSet> {
    @Override
    public NodeSet convert(String value) {
      NodeSet parsed;
      try {
        parsed = NodeSet.parse(value);
      } catch (MalformedValueException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a node list (e.g. 0-1 or 2,3): " + e.detail());
      }
      if (parsed.isEmpty()) {
        throw new CommandLine.TypeConversionException("'" + value + "' names no node");
      }
      return parsed;
    }
  }
}
