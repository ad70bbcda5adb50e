package tierd.source.sys;

import java.util.Optional;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * The kernel's own tiering switches: {@code /sys/kernel/mm/numa/demotion_enabled}
 * (Documentation/ABI/testing/sysfs-kernel-mm-numa, a kstrtobool value printed as {@code
 * true}/{@code false}) and {@code /proc/sys/kernel/numa_balancing} (a bitmask: 1 NORMAL, 2
 * MEMORY_TIERING; Documentation/admin-guide/sysctl/kernel.rst). Each is empty when the kernel lacks
 * the file.
 */
public record TieringKnobs(Optional<Boolean> demotionEnabled, Optional<Integer> numaBalancing) {

  public static final int NUMA_BALANCING_NORMAL = 1;
  public static final int NUMA_BALANCING_MEMORY_TIERING = 2;

  /** True when the kernel's own NUMA-balancing tiering (NUMAB-2) is promoting pages. */
  public boolean kernelTieringOn() {
    return numaBalancing.map(v -> (v & NUMA_BALANCING_MEMORY_TIERING) != 0).orElse(false);
  }

  public static TieringKnobs read(KernelRoot root) {
    var demotion = root.sys("kernel/mm/numa/demotion_enabled");
    var balancing = root.proc("sys/kernel/numa_balancing");
    Optional<Boolean> d;
    try {
      d = KernelFiles.readIfPresent(demotion).map(TieringKnobs::parseBool);
    } catch (KernelFsException e) {
      throw e.withFile(demotion);
    }
    Optional<Integer> b;
    try {
      b = KernelFiles.readIfPresent(balancing).map(TieringKnobs::parseNumaBalancing);
    } catch (KernelFsException e) {
      throw e.withFile(balancing);
    }
    return new TieringKnobs(d, b);
  }

  /** kstrtobool spellings the kernel prints or accepts. */
  public static boolean parseBool(String text) {
    return switch (text.strip()) {
      case "true", "1", "Y", "y", "on" -> true;
      case "false", "0", "N", "n", "off" -> false;
      default -> throw KernelFsException.malformed(1, text.strip(), "expected true or false");
    };
  }

  public static int parseNumaBalancing(String text) {
    int v = Parse.unsignedInt(text.strip(), 1, "numa_balancing");
    if (v > 3) {
      throw KernelFsException.malformed(1, text.strip(), "numa_balancing outside 0-3");
    }
    return v;
  }
}
