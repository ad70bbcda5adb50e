package tierd.planner;

import java.nio.file.Path;

/**
 * Where the usable capacity of a demotion-only node comes from ({@code planner.nodes.N.capacity} or
 * {@code planner.nodes.N.capacityFile}). The planner itself reads nothing: the daemon reads the
 * source each cycle (and the mover before each chunk into the node) and hands the planner the bytes
 * ({@link PlanInput#capacityBytes}).
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
}
