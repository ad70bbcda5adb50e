package tierd.source.sys;

import java.util.ArrayList;
import java.util.List;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;
import tierd.model.NodeSet;

/**
 * {@code /sys/devices/virtual/memory_tiering/memory_tierN/nodelist}: the kernel's memory tiers
 * (mm/memory-tiers.c, Documentation/ABI/testing/sysfs-kernel-mm-memory-tiers). A smaller N is a
 * faster tier; N is the abstract distance divided by the chunk size 128, so DRAM (adistance 576) is
 * {@code memory_tier4}. Early kernels named the file {@code nodes}; both are accepted.
 */
public final class MemoryTiers {

  private MemoryTiers() {}

  /** One kernel tier: its id (the N of memory_tierN) and its nodes. */
  public record KernelTier(int id, NodeSet nodes) {}

  /** Tiers in ascending id (fast to slow); empty when the kernel has no memory_tiering. */
  public static List<KernelTier> read(KernelRoot root) {
    var dir = root.sys("devices/virtual/memory_tiering");
    if (!KernelFiles.exists(dir)) {
      return List.of();
    }
    List<KernelTier> out = new ArrayList<>();
    for (String name : KernelFiles.list(dir)) {
      if (!name.startsWith("memory_tier")) {
        continue;
      }
      String num = name.substring("memory_tier".length());
      int id;
      try {
        id = Parse.unsignedInt(num, 0, "tier id");
      } catch (KernelFsException e) {
        throw e.withFile(dir.resolve(name));
      }
      var file = dir.resolve(name).resolve("nodelist");
      if (!KernelFiles.exists(file)) {
        file = dir.resolve(name).resolve("nodes");
      }
      try {
        NodeSet nodes = parse(KernelFiles.read(file));
        if (!nodes.isEmpty()) {
          out.add(new KernelTier(id, nodes));
        }
      } catch (KernelFsException e) {
        throw e.withFile(file);
      }
    }
    out.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return out;
  }

  public static NodeSet parse(String text) {
    return NodeListFile.parse(text);
  }
}
