package tierd.source.sys;

import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.NodeSet;

/**
 * {@code /sys/devices/system/node/{possible,online,has_cpu,has_memory,has_normal_memory}}: node
 * state masks in list format (Documentation/ABI/stable/sysfs-devices-node). A file that is missing
 * (a kernel without the state) reads as the empty set only for {@code has_normal_memory}; the
 * others are required.
 */
public record NodeMasks(
    NodeSet possible, NodeSet online, NodeSet hasCpu, NodeSet hasMemory, NodeSet hasNormalMemory) {

  /** Memory nodes without CPUs: the shape of PMEM and CXL expanders. */
  public NodeSet cpuLess() {
    return hasMemory.minus(hasCpu);
  }

  public static NodeMasks read(KernelRoot root) {
    NodeSet online = readList(root, "online");
    NodeSet possible = readListOr(root, "possible", online);
    NodeSet hasCpu = readList(root, "has_cpu");
    NodeSet hasMemory = readList(root, "has_memory");
    NodeSet hasNormal = readListOr(root, "has_normal_memory", hasMemory);
    return new NodeMasks(possible, online, hasCpu, hasMemory, hasNormal);
  }

  /** Parses one mask file's content. */
  public static NodeSet parse(String text) {
    return NodeListFile.parse(text);
  }

  private static NodeSet readList(KernelRoot root, String name) {
    var path = root.node(name);
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  private static NodeSet readListOr(KernelRoot root, String name, NodeSet fallback) {
    var path = root.node(name);
    try {
      return KernelFiles.readIfPresent(path).map(NodeMasks::parse).orElse(fallback);
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }
}
