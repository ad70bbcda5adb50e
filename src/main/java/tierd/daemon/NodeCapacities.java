package tierd.daemon;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.planner.CapacitySource;

/**
 * The usable capacity now of the demotion-only nodes ({@code planner.nodes.N}), read from their
 * source each time it is asked: once per cycle for the plan, and before every chunk the mover sends
 * into such a node ({@link DemotionOnlyRoom}). A capacity file holds the bytes as a decimal number
 * (surrounding blanks and a newline allowed); a capacity command prints them ({@link
 * CapacityCommand}: it runs at most once a second). A file that cannot be read or does not hold a
 * number, or a command that fails, times out or prints anything else, gives no capacity: nothing is
 * demoted into that node until it does, and the problem is logged once (and once when it is
 * readable again).
 */
final class NodeCapacities {

  private static final Logger log = LoggerFactory.getLogger(NodeCapacities.class);

  private final KernelRoot root;
  private final Map<Integer, CapacitySource> sources;
  private final Map<Integer, String> lastProblem = new HashMap<>();
  private final Map<Integer, CapacityCommand> commands = new HashMap<>();

  NodeCapacities(KernelRoot root, Map<Integer, CapacitySource> sources) {
    this.root = root;
    this.sources = Map.copyOf(sources);
  }

  boolean demotionOnly(int node) {
    return sources.containsKey(node);
  }

  boolean isEmpty() {
    return sources.isEmpty();
  }

  /** Usable bytes of demotion-only node {@code node} now; empty when unknown or not such a node. */
  synchronized OptionalLong bytes(int node) {
    CapacitySource source = sources.get(node);
    if (source == null) {
      return OptionalLong.empty();
    }
    if (source instanceof CapacitySource.Fixed fixed) {
      return OptionalLong.of(fixed.bytes());
    }
    try {
      long bytes = read(node, source);
      if (lastProblem.remove(node) != null) {
        log.info("capacity of demotion-only node {} is readable again: {} bytes", node, bytes);
      }
      return OptionalLong.of(bytes);
    } catch (KernelFsException | IllegalArgumentException e) {
      String problem = e.getMessage();
      if (!problem.equals(lastProblem.put(node, problem))) {
        log.warn(
            "capacity of demotion-only node {} unknown, nothing is demoted into it: {}",
            node,
            problem);
      }
      return OptionalLong.empty();
    }
  }

  private long read(int node, CapacitySource source) {
    if (source instanceof CapacitySource.FromFile fromFile) {
      Path file = root.resolveAbsolute(fromFile.path());
      return parse(KernelFiles.read(file), "planner.nodes." + node + ".capacityFile " + file);
    }
    CapacitySource.FromCommand fromCommand = (CapacitySource.FromCommand) source;
    CapacityCommand command =
        commands.computeIfAbsent(node, n -> new CapacityCommand(fromCommand.argv()));
    return parse(
        command.output(), "planner.nodes." + node + ".capacityCommand " + fromCommand.argv());
  }

  /** The capacities that could be read now, by node. */
  Map<Integer, Long> readAll() {
    Map<Integer, Long> out = new TreeMap<>();
    for (int node : sources.keySet()) {
      bytes(node).ifPresent(b -> out.put(node, b));
    }
    return out;
  }

  /**
   * The bytes a capacity file holds; throws IllegalArgumentException naming {@code what} when it
   * holds anything but one non-negative decimal number.
   */
  static long parse(String text, String what) {
    String value = text.strip();
    try {
      long bytes = Long.parseLong(value);
      if (bytes >= 0) {
        return bytes;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    throw new IllegalArgumentException(
        what + ": expected usable bytes as a non-negative decimal number, got '" + shown + "'");
  }
}
