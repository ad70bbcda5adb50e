package tierd.heat.damon;

import java.util.ArrayList;
import java.util.List;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;
import tierd.model.AddressRange;

/**
 * Online physical memory as address ranges, for the paddr target's regions (paddr has no default
 * regions when set up through sysfs: vm-recipe.md). From {@code /sys/devices/system/memory/}:
 * {@code block_size_bytes} (hex without 0x) and one {@code memory<N>} directory per block, which
 * covers {@code [N * block, (N + 1) * block)} and whose {@code state} reads {@code online} when in
 * use (Documentation/admin-guide/mm/memory-hotplug.rst). Adjacent online blocks are merged.
 */
public final class PhysicalMemory {

  private PhysicalMemory() {}

  public static List<AddressRange> read(KernelRoot root) {
    var dir = root.sys("devices/system/memory");
    var sizeFile = dir.resolve("block_size_bytes");
    long block;
    try {
      block = parseBlockSize(KernelFiles.read(sizeFile));
    } catch (KernelFsException e) {
      throw e.withFile(sizeFile);
    }
    List<Long> online = new ArrayList<>();
    for (String name : KernelFiles.list(dir)) {
      if (!name.startsWith("memory") || name.length() == "memory".length()) {
        continue;
      }
      String num = name.substring("memory".length());
      if (!num.chars().allMatch(Character::isDigit)) {
        continue;
      }
      var state = dir.resolve(name).resolve("state");
      if (KernelFiles.readIfPresent(state).map(String::strip).orElse("").equals("online")) {
        online.add(Long.parseLong(num));
      }
    }
    return ranges(block, online);
  }

  /** {@code block_size_bytes}: hex without {@code 0x} (e.g. {@code 8000000} = 128 MiB). */
  public static long parseBlockSize(String text) {
    long v = Parse.hex(text.strip(), 1, "block_size_bytes");
    if (v <= 0 || Long.bitCount(v) != 1) {
      throw KernelFsException.malformed(1, text.strip(), "block size must be a power of two");
    }
    return v;
  }

  /** Merged ranges of the given block numbers, ascending. */
  public static List<AddressRange> ranges(long blockBytes, List<Long> blocks) {
    List<Long> sorted = new ArrayList<>(blocks);
    sorted.sort(null);
    List<AddressRange> out = new ArrayList<>();
    long start = -1;
    long end = -1;
    for (long b : sorted) {
      long s = Math.multiplyExact(b, blockBytes);
      if (s == end) {
        end = s + blockBytes;
        continue;
      }
      if (start >= 0) {
        out.add(new AddressRange(start, end));
      }
      start = s;
      end = s + blockBytes;
    }
    if (start >= 0) {
      out.add(new AddressRange(start, end));
    }
    return out;
  }
}
