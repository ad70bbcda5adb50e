package tierd.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tierd.config.ConfigException;
import tierd.kernelfs.KernelFsException;

/** The {@code tierd} command line. */
@Command(
    name = "tierd",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Userspace memory-tiering daemon: hot pages up, cold pages down, policies kept.",
    subcommands = {
      RunCommand.class,
      StatusCommand.class,
      PlanCommand.class,
      ProfileCommand.class,
      TopologyCommand.class,
      ScanCommand.class,
      ConfigCommand.class,
      VersionCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          if (ex instanceof ConfigException || ex instanceof KernelFsException) {
            cmd.getErr().println("tierd: " + ex.getMessage());
            return 2;
          }
          if (ex instanceof IllegalArgumentException) {
            cmd.getErr().println("tierd: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cl.execute(args);
  }
}
