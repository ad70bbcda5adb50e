package tierd.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tierd.config.TierdConfig;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Configuration tools.",
    subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Validate a configuration file; exit 0 when valid, 2 with the reason if not.")
  static final class Check implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The YAML file to check.")
    Path file;

    @Spec CommandSpec spec;

    /** A ConfigException goes to {@link Main}, which prints it on one line and exits 2. */
    @Override
    public Integer call() {
      TierdConfig c = TierdConfig.load(file);
      spec.commandLine()
          .getOut()
          .println(file + ": OK (interval " + c.interval().toMillis() + "ms)");
      return 0;
    }
  }
}
