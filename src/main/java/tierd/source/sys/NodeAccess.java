package tierd.source.sys;

import java.util.Optional;
import java.util.OptionalLong;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * HMAT performance attributes of a memory node as seen from its best initiators: {@code
 * /sys/devices/system/node/nodeN/accessC/initiators/{read,write}_{latency,bandwidth}}
 * (Documentation/admin-guide/mm/numaperf.rst). Latency is in nanoseconds, bandwidth in MB/s. {@code
 * access0} is any initiator, {@code access1} CPU initiators only. Each attribute is optional:
 * firmware may report some and not others.
 */
public record NodeAccess(
    int accessClass,
    OptionalLong readLatencyNs,
    OptionalLong writeLatencyNs,
    OptionalLong readBandwidthMBps,
    OptionalLong writeBandwidthMBps) {

  public boolean isEmpty() {
    return readLatencyNs.isEmpty()
        && writeLatencyNs.isEmpty()
        && readBandwidthMBps.isEmpty()
        && writeBandwidthMBps.isEmpty();
  }

  /** The node's HMAT attributes for {@code accessClass}, or empty when the kernel has none. */
  public static Optional<NodeAccess> read(KernelRoot root, int node, int accessClass) {
    String dir = "node" + node + "/access" + accessClass + "/initiators/";
    NodeAccess a =
        new NodeAccess(
            accessClass,
            attr(root, dir + "read_latency"),
            attr(root, dir + "write_latency"),
            attr(root, dir + "read_bandwidth"),
            attr(root, dir + "write_bandwidth"));
    return a.isEmpty() ? Optional.empty() : Optional.of(a);
  }

  /** Parses one attribute file. */
  public static long parse(String text) {
    return Parse.unsigned(text.strip(), 1, "HMAT attribute");
  }

  private static OptionalLong attr(KernelRoot root, String rel) {
    var path = root.node(rel);
    try {
      Optional<String> s = KernelFiles.readIfPresent(path);
      return s.isPresent() ? OptionalLong.of(parse(s.get())) : OptionalLong.empty();
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }
}
