package tierd.planner;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the usable capacity of a demotion-only node comes from ({@code planner.nodes.N.capacity},
 * {@code capacityFile} or {@code capacityCommand}). The planner itself reads nothing: the daemon
 * reads the source each cycle (and the mover before each chunk into the node) and hands the planner
 * the bytes ({@link PlanInput#capacityBytes}).
 */
public sealed interface CapacitySource {

  /** A fixed size in bytes. */
  record Fixed(long bytes) implements CapacitySource {
    public Fixed {
      if (bytes < 0) {
        throw new IllegalArgumentException("capacity must be >= 0 (got " + bytes + ")");
      }
    }
  }

  /**
   * A file that holds the usable bytes as a decimal number (a sysfs or debugfs attribute of a
   * compressed CXL device, or a file a monitoring script keeps current).
   */
  record FromFile(Path path) implements CapacitySource {
    public FromFile {
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException(
            "capacityFile must be an absolute path (got " + path + ")");
      }
    }
  }

  /**
   * A command (argv, no shell) that prints the usable bytes as a decimal number on its standard
   * output and exits 0: a device vendor's tool, or a script over one.
   */
  record FromCommand(List<String> argv) implements CapacitySource {
    public FromCommand {
      argv = List.copyOf(argv);
      if (argv.isEmpty() || !Path.of(argv.get(0)).isAbsolute()) {
        throw new IllegalArgumentException(
            "capacityCommand must start with an absolute path (got " + argv + ")");
      }
    }
  }
}
