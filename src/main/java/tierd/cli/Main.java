package tierd.cli;

import java.io.PrintWriter;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tierd.config.ConfigException;
import tierd.daemon.StageRunner;
import tierd.daemon.StartupException;
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
      ExecCommand.class,
      VersionCommand.class,
    })
public final class Main implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Exit code after a VirtualMachineError (sysexits EX_SOFTWARE); systemd restarts tierd. */
  static final int EXIT_FATAL = 70;

  /** Exit code after an unexpected exception: a bug in tierd. */
  static final int EXIT_BUG = 1;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the CLI with the given streams; returns the exit code. Every expected error is one line on
   * {@code err}, "tierd: what (the fix)", without a stack trace (TIERD_LOG_LEVEL=DEBUG logs it):
   *
   * <ul>
   *   <li>0: done; the daemon stopped cleanly;
   *   <li>1: the daemon could not start for a reason of the host that may pass (an address, a
   *       directory), {@code status} found no daemon, or a bug;
   *   <li>2: a wrong command line, config or {@code --root}, or another tierd holds the lock: a
   *       restart cannot help (the unit's RestartPreventExitStatus=2);
   *   <li>70: a VirtualMachineError (3 for an OutOfMemoryError under the launcher's
   *       -XX:+ExitOnOutOfMemoryError): the JVM cannot go on, systemd restarts tierd.
   * </ul>
   *
   * <p>{@code tierd exec} keeps {@code env}'s codes instead: 125 for any failure of tierd's own,
   * 126 and 127 for a command that cannot run or was not found, else the command's own.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine(out, err);
    return guarded(() -> cl.execute(args), err);
  }

  /** The command line with its parser settings and error handlers, not yet run. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    // "@file" is an argument, not a file of arguments: tierd exec passes it to its command.
    cl.setExpandAtFiles(false);
    // tierd exec -- CMD ARGS: everything from CMD on is CMD's, options included.
    cl.getSubcommands().get("exec").setStopAtPositional(true);
    cl.setParameterExceptionHandler(
        (ex, commandArgs) -> forCommand(ex.getCommandLine(), usageError(ex, commandArgs)));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> forCommand(cmd, failed(ex, cmd.getErr())));
    return cl;
  }

  /** Runs {@code command}; an Error it throws is one line too, and its exit code. */
  static int guarded(IntSupplier command, PrintWriter err) {
    try {
      return command.getAsInt();
    } catch (VirtualMachineError e) {
      err.println(
          "tierd: fatal JVM error: "
              + StageRunner.reason(e)
              + " (tierd exits; under systemd it is restarted)");
      return EXIT_FATAL;
    } catch (Error e) {
      return failed(e, err);
    }
  }

  /**
   * {@code tierd exec} answers every failure of its own with 125, as {@code env} does, so that 126,
   * 127 and the command's own codes keep their meaning.
   */
  private static int forCommand(CommandLine cmd, int code) {
    return code != 0 && cmd.getCommandSpec().userObject() instanceof ExecCommand
        ? ExecLaunch.EXIT_TIERD
        : code;
  }

  /** {@code message}, with {@code fix} in parentheses unless it ends with one already. */
  private static String withFix(String message, String fix) {
    return message.endsWith(")") ? message : message + " (" + fix + ")";
  }

  /** What to do about a kernel file tierd could not read or understand. */
  private static String fix(KernelFsException.Kind kind) {
    return switch (kind) {
      case ABSENT -> "this kernel, or the tree given with --root, lacks the file";
      case PERMISSION -> "run tierd as root";
      case UNSUPPORTED -> "this kernel lacks the interface";
      case MALFORMED -> "the file does not follow its documented format; please report it";
      case IO -> "an I/O error; try again";
      case TOO_LARGE -> "a larger -Xmx in JAVA_OPTS lets tierd read it";
    };
  }

  /** A command line picocli could not parse: its message, and where help is. */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String message = ex.getMessage().lines().findFirst().orElse("invalid command line");
    cmd.getErr()
        .println(
            "tierd: " + message + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
    return CommandLine.ExitCode.USAGE;
  }

  private static int failed(Throwable ex, PrintWriter err) {
    if (ex instanceof StartupException e) {
      err.println("tierd: " + e.getMessage());
      return e.exitCode();
    }
    if (ex instanceof ConfigException) {
      err.println(
          "tierd: "
              + withFix(
                  ex.getMessage(),
                  "fix the file; the shipped tierd.yaml documents every key, unit and range"));
      return CommandLine.ExitCode.USAGE;
    }
    if (ex instanceof KernelFsException e) {
      err.println("tierd: " + withFix(e.getMessage(), fix(e.kind())));
      return CommandLine.ExitCode.USAGE;
    }
    if (ex instanceof IllegalArgumentException) {
      err.println("tierd: " + ex.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    log.debug("unexpected error", ex);
    err.println(
        "tierd: unexpected error: "
            + StageRunner.reason(ex)
            + " (a bug in tierd: please report it with the output of the same command under"
            + " TIERD_LOG_LEVEL=DEBUG)");
    return EXIT_BUG;
  }
}
