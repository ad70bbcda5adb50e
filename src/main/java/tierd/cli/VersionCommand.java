package tierd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import oshi.SystemInfo;
import oshi.software.os.OperatingSystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tierd.model.DataSize;

@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print tierd's version and the host it runs on.")
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** tierd's version from the build. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("/tierd/build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.println("tierd " + version());
    out.println(
        "java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ", "
            + System.getProperty("os.arch")
            + ")");
    // OSHI describes the host; it is only used for reports, never for decisions.
    SystemInfo si = new SystemInfo();
    OperatingSystem os = si.getOperatingSystem();
    out.println("os " + os + ", kernel " + os.getVersionInfo().getBuildNumber());
    out.println(
        "host "
            + si.getHardware().getProcessor().getProcessorIdentifier().getName().strip()
            + ", "
            + si.getHardware().getProcessor().getLogicalProcessorCount()
            + " cpus, "
            + DataSize.human(si.getHardware().getMemory().getTotal())
            + " memory");
    out.flush();
    return 0;
  }

  /** For {@code tierd --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tierd " + version()};
    }
  }
}
