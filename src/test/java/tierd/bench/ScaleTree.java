package tierd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import tierd.Fixtures;

/**
 * Writes a {@code --root} tree for the scale benchmark (issue 14, point 5; {@code bench/scale.sh}):
 * the 3-node guest's sysfs and /proc system files (two memory tiers; nodes grown to 1 TiB each so
 * that any world fits) and {@code procs} generated processes with {@code vmas} VMAs each. A process
 * is laid out like a real one: its binary and libraries (file VMAs), a heap, anonymous buffers with
 * guard pages, a stack; present pages spread over the three nodes, an {@code active=} count for the
 * numa-maps-active heat source, a few VMAs bound or preferring a node. Sizes are heavy-tailed per
 * process (its buffers scaled by a log-uniform factor), so RSS ranks them. Seeded: the same
 * arguments write the same tree.
 *
 * <pre>
 *   java -cp target/tierd.jar:target/test-classes tierd.bench.ScaleTree --procs 1000 --vmas 250 --out DIR
 * </pre>
 */
public final class ScaleTree {

  private static final String GUEST = "fixtures/vm-3node/";
  private static final long PAGE = 4096;
  private static final long NODE_BYTES = 1L << 40;
  private static final String[] LIBS = {
    "libc.so.6",
    "libm.so.6",
    "libpthread.so.0",
    "libdl.so.2",
    "libz.so.1",
    "libssl.so.3",
    "libcrypto.so.3",
    "libstdc++.so.6",
    "libgcc_s.so.1",
    "ld-linux-x86-64.so.2"
  };

  private ScaleTree() {}

  public static void main(String[] args) throws IOException {
    int procs = 100;
    int vmas = 250;
    Path out = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--procs" -> procs = Integer.parseInt(args[i + 1]);
        case "--vmas" -> vmas = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (out == null || vmas < 20) {
      throw new IllegalArgumentException("usage: --procs N --vmas V (>= 20) --out DIR");
    }
    write(out, procs, vmas);
  }

  /** Writes the tree; the processes get pids 10000, 10001, ... */
  public static void write(Path root, int procs, int vmasEach) throws IOException {
    Path guest = Fixtures.path(GUEST);
    Fixtures.copyTree(guest.resolve("sys/devices"), root.resolve("sys/devices"));
    Fixtures.copyTree(guest.resolve("sys/fs"), root.resolve("sys/fs"));
    for (String f : new String[] {"meminfo", "vmstat", "zoneinfo", "sys/kernel/numa_balancing"}) {
      Path to = root.resolve("proc/" + f);
      Files.createDirectories(to.getParent());
      Files.copy(guest.resolve("proc/" + f), to);
    }
    // what the heat probe looks for: CONFIG_NUMA, so numa-maps-active is available
    Files.createDirectories(root.resolve("proc/self"));
    Files.writeString(root.resolve("proc/self/numa_maps"), "");
    for (int n = 0; n < 3; n++) {
      Path meminfo = root.resolve("sys/devices/system/node/node" + n + "/meminfo");
      Files.writeString(
          meminfo,
          Files.readString(meminfo)
              .replaceAll("MemTotal:\\s+\\d+", "MemTotal:       " + (NODE_BYTES >> 10))
              .replaceAll("MemFree:\\s+\\d+", "MemFree:        " + (NODE_BYTES >> 11)));
    }
    String stat = Files.readString(guest.resolve("proc/4242/stat"));
    String status = Files.readString(guest.resolve("proc/4242/status"));
    for (int i = 0; i < procs; i++) {
      writeProcess(root, 10000 + i, vmasEach, stat, status);
    }
  }

  private static void writeProcess(Path root, int pid, int vmaCount, String stat, String status)
      throws IOException {
    SplittableRandom rnd = new SplittableRandom(42L * pid + vmaCount);
    Path dir = root.resolve("proc/" + pid);
    Files.createDirectories(dir);
    StringBuilder maps = new StringBuilder(vmaCount * 100);
    StringBuilder numa = new StringBuilder(vmaCount * 90);
    double scale = Math.exp(rnd.nextDouble() * Math.log(1000)); // 1x .. 1000x
    long at = 0x560000000000L + rnd.nextLong(1L << 32) * PAGE;
    long rss = 0;
    int libs = Math.min(LIBS.length, vmaCount / 25);
    int fileVmas = 5 + 4 * libs;
    int anon = vmaCount - fileVmas - 2; // heap and stack
    // the binary, then the heap
    for (int k = 0; k < 5; k++) {
      rss += vma(maps, numa, rnd, at, 4 * PAGE, "r--p", "/usr/bin/bench-" + pid % 97, 1.0);
      at += 4 * PAGE;
    }
    long heap = roundUp((long) (scale * (1 << 20)));
    rss += vma(maps, numa, rnd, at, heap, "rw-p", "[heap]", 0.9);
    at = 0x7f0000000000L + rnd.nextLong(1L << 28) * PAGE;
    // anonymous buffers, each after a guard page (the guard is a VMA too, and counts)
    for (int k = 0; k < anon; k++) {
      long size;
      if (k % 2 == 0 && k + 1 < anon) {
        size = PAGE;
        vma(maps, numa, rnd, at, size, "---p", "", 0);
      } else {
        double log = rnd.nextDouble() * Math.log(256); // 16 KiB .. 4 MiB, times the scale
        size = roundUp((long) (scale * 16384 * Math.exp(log)));
        rss += vma(maps, numa, rnd, at, size, "rw-p", "", 0.8);
      }
      at += size;
    }
    // shared libraries: four VMAs each
    for (int l = 0; l < libs; l++) {
      String path = "/usr/lib/x86_64-linux-gnu/" + LIBS[l];
      for (String perms : new String[] {"r--p", "r-xp", "r--p", "rw-p"}) {
        long size = (4 + rnd.nextInt(60)) * PAGE;
        rss += vma(maps, numa, rnd, at, size, perms, path, 0.7);
        at += size;
      }
    }
    long stack = 33 * PAGE;
    rss +=
        vma(
            maps,
            numa,
            rnd,
            0x7ffc00000000L + rnd.nextLong(1L << 20) * PAGE,
            stack,
            "rw-p",
            "[stack]",
            1.0);
    Files.writeString(dir.resolve("maps"), maps);
    Files.writeString(dir.resolve("numa_maps"), numa);
    String[] f = stat.split(" ");
    f[0] = Integer.toString(pid);
    f[1] = "(bench-" + pid % 97 + ")";
    f[21] = Integer.toString(pid); // start time in ticks
    Files.writeString(dir.resolve("stat"), String.join(" ", f));
    Files.writeString(
        dir.resolve("status"),
        status
            .replaceAll("(?m)^Name:.*$", "Name:\tbench-" + pid % 97)
            .replaceAll("(?m)^(Tgid|Pid|NStgid|NSpid):\\t\\d+$", "$1:\t" + pid)
            .replaceAll("(?m)^VmRSS:.*$", "VmRSS:\t" + (rss >> 10) + " kB")
            .replaceAll("(?m)^Mems_allowed_list:.*$", "Mems_allowed_list:\t0-2")
            .replaceAll("(?m)^Mems_allowed:.*$", "Mems_allowed:\t00000007"));
    Files.writeString(dir.resolve("cgroup"), "0::/\n");
    Files.writeString(dir.resolve("comm"), "bench-" + pid % 97 + "\n");
    Files.writeString(dir.resolve("cmdline"), "/usr/bin/bench-" + pid % 97 + "\0");
  }

  /**
   * Appends one VMA to maps and numa_maps; {@code fill} is the expected share of its pages present.
   * Returns its present bytes.
   */
  private static long vma(
      StringBuilder maps,
      StringBuilder numa,
      SplittableRandom rnd,
      long start,
      long size,
      String perms,
      String path,
      double fill) {
    long end = start + size;
    boolean file = path.startsWith("/");
    maps.append(Long.toHexString(start))
        .append('-')
        .append(Long.toHexString(end))
        .append(' ')
        .append(perms)
        .append(file ? " 00000000 00:19 " + (1000 + path.length()) : " 00000000 00:00 0")
        .append(path.isEmpty() ? " " : "                   " + path)
        .append('\n');
    double r = rnd.nextDouble();
    String policy = r < 0.03 ? "bind:1" : r < 0.06 ? "prefer:0" : "default";
    numa.append(Long.toHexString(start)).append(' ').append(policy);
    if (file) {
      numa.append(" file=").append(path);
    } else if (path.equals("[heap]")) {
      numa.append(" heap");
    } else if (path.equals("[stack]")) {
      numa.append(" stack");
    }
    long pages = (long) (size / PAGE * fill * rnd.nextDouble());
    if (pages == 0) {
      numa.append('\n');
      return 0;
    }
    long[] onNode = new long[3];
    int main = rnd.nextInt(3);
    onNode[main] = pages - pages / 4;
    onNode[(main + 1) % 3] = pages / 4;
    if (!file) {
      numa.append(" anon=").append(pages).append(" dirty=").append(pages);
    } else {
      numa.append(" mapped=").append(pages);
    }
    numa.append(" active=").append((long) (pages * rnd.nextDouble()));
    for (int n = 0; n < 3; n++) {
      if (onNode[n] > 0) {
        numa.append(" N").append(n).append('=').append(onNode[n]);
      }
    }
    numa.append(" kernelpagesize_kB=4\n");
    return pages * PAGE;
  }

  private static long roundUp(long bytes) {
    return Math.max(PAGE, (bytes + PAGE - 1) / PAGE * PAGE);
  }
}
