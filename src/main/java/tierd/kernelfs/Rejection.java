package tierd.kernelfs;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Something the scan left out because the kernel's files about it were malformed, disagreed with
 * each other or with the topology: a whole process (its file did not parse) or one VMA. {@code
 * file} names the file at fault the way the kernel does ({@code numa_maps}, {@code maps}, {@code
 * status}, ...), {@code detail} is the one-line message an operator reads.
 *
 * <p>{@code file} and {@code reason} become labels of {@code tierd_scan_rejected_total}, so both
 * come from small fixed sets: {@link #fileLabel} maps any path onto {@link #FILES}.
 */
public record Rejection(String file, Reason reason, String detail) {

  /** Why it was left out. */
  public enum Reason {
    /** The file did not parse, or held an impossible value (page size 0, counts that overflow). */
    MALFORMED,
    /**
     * A VMA that numa_maps lists and maps does not, or the reverse: a mapping changed between the
     * two reads (common in busy processes), or a broken file.
     */
    UNMATCHED,
    /** numa_maps counts more present bytes in a VMA than the VMA (from maps) spans. */
    BEYOND_VMA,
    /** Pages on a node that is not a memory node of this cycle's topology. */
    UNKNOWN_NODE,
    /**
     * The file is larger than the heap lets tierd read at once (a process with tens of thousands of
     * VMAs at the launcher's heap): a tracking limit, said with its fix.
     */
    TOO_LARGE,
    /** A node's sysfs files vanished mid-read (memory hot-unplug in progress). */
    ABSENT,
    /** Reading the process failed in an unexpected way (a tierd bug); the message says how. */
    ERROR;

    /** The metric label: the name in lower case. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The files a rejection can name; anything else is {@code other}. */
  public static final Set<String> FILES =
      Set.of(
          "numa_maps",
          "maps",
          "status",
          "stat",
          "cgroup",
          "cmdline",
          "cpuset",
          "meminfo",
          "distance",
          "cpulist",
          "other");

  /** The label for a file: its name when {@link #FILES} has it, cpuset.* as cpuset, else other. */
  public static String fileLabel(Path file) {
    if (file == null || file.getFileName() == null) {
      return "other";
    }
    String name = file.getFileName().toString();
    if (name.startsWith("cpuset.")) {
      return "cpuset";
    }
    return FILES.contains(name) ? name : "other";
  }
}
