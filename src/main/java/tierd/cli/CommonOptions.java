package tierd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import tierd.config.TierdConfig;
import tierd.daemon.StartupException;
import tierd.kernelfs.KernelRoot;

/** Options shared by the report commands. */
final class CommonOptions {

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Read the kernel files under DIR (a fixture tree laid out like /) instead of the"
              + " running kernel. Overrides the config key 'root'.")
  Path root;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (YAML). Default: built-in defaults.")
  Path config;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  TierdConfig config() {
    return config == null ? TierdConfig.defaults() : TierdConfig.load(config);
  }

  KernelRoot kernelRoot(TierdConfig c) {
    if (root != null) {
      return KernelRoot.under(existingRoot(root));
    }
    return c.kernelRoot();
  }

  /** {@code root} if it is a directory; else a one-line error (exit 2). */
  static Path existingRoot(Path root) {
    if (!Files.isDirectory(root)) {
      throw new StartupException(
          StartupException.EXIT_USAGE,
          "--root "
              + root
              + ": "
              + (Files.exists(root) ? "not a directory" : "no such file or directory"),
          "give a directory laid out like /, with proc/ and sys/;"
              + " src/test/vm/capture-fixtures.sh captures one from a machine");
    }
    return root;
  }
}
