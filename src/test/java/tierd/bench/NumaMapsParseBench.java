package tierd.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tierd.source.proc.NumaMaps;

/**
 * {@link NumaMaps#parse} throughput on a large, realistic numa_maps text ({@code lines} VMAs as a
 * big JVM or database shows them: libraries with file paths, anonymous arenas spread over nodes,
 * heap, stack, hugetlb, every policy spelling including {@code prefer (many)} and {@code weighted
 * interleave}). The {@code bytes} counter reports input bytes per second. Run with {@code
 * bench/jmh.sh NumaMapsParseBench -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class NumaMapsParseBench {

  @Param({"20000"})
  public int lines;

  private String text;

  /** Input bytes parsed, reported per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long bytes;
  }

  @Setup(Level.Trial)
  public void setUp() {
    text = generate(lines, 7);
  }

  @Benchmark
  public List<NumaMaps.Entry> parse(Counters c) {
    c.bytes += text.length();
    return NumaMaps.parse(text);
  }

  static final String[] POLICIES = {
    "default",
    "default",
    "default",
    "default",
    "bind:0-1",
    "bind=static:2",
    "prefer:1",
    "prefer (many):0-1",
    "interleave:0-3",
    "weighted interleave:0,2",
    "local",
  };

  static final String[] LIBS = {
    "/usr/lib/x86_64-linux-gnu/libc.so.6",
    "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
    "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30",
    "/var/lib/postgresql/15/main/base/16384/2619",
    "/opt/app/lib/native/libnetty_transport_native_epoll_x86_64.so",
    "/memfd:java_heap\\040(deleted)",
  };

  /** A numa_maps text of {@code n} lines as show_numa_map prints it. */
  static String generate(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder(n * 120);
    long addr = 0x55d4c0a00000L;
    for (int i = 0; i < n; i++) {
      sb.append(Long.toHexString(addr)).append(' ');
      sb.append(POLICIES[rnd.nextInt(POLICIES.length)]);
      int kind = rnd.nextInt(10);
      boolean huge = false;
      if (kind < 4) {
        sb.append(" file=").append(LIBS[rnd.nextInt(LIBS.length)]);
      } else if (i == 3) {
        sb.append(" heap");
      } else if (i == n - 2) {
        sb.append(" stack");
      } else if (kind == 9 && rnd.nextInt(5) == 0) {
        sb.append(" file=/dev/hugepages/pool").append(i).append(" huge");
        huge = true;
      }
      if (rnd.nextInt(12) == 0) {
        sb.append('\n'); // a VMA with no present pages ends here
        addr += 4096L * (1 + rnd.nextInt(4096));
        continue;
      }
      long pages = 1 + rnd.nextInt(huge ? 512 : 262_144);
      long anon = kind < 4 ? rnd.nextLong(pages + 1) : pages;
      if (anon > 0) {
        sb.append(" anon=").append(anon);
      }
      long dirty = rnd.nextLong(pages + 1);
      if (dirty > 0) {
        sb.append(" dirty=").append(dirty);
      }
      if (anon != pages && dirty != pages) {
        sb.append(" mapped=").append(pages);
      }
      if (kind < 4 || rnd.nextInt(20) == 0) {
        sb.append(" mapmax=").append(2 + rnd.nextInt(60));
      }
      if (rnd.nextInt(30) == 0) {
        sb.append(" swapcache=").append(1 + rnd.nextInt(100));
      }
      if (!huge && rnd.nextBoolean()) {
        sb.append(" active=").append(rnd.nextLong(pages));
      }
      if (rnd.nextInt(50) == 0) {
        sb.append(" writeback=").append(1 + rnd.nextInt(10));
      }
      long left = pages;
      int nodes = 1 + rnd.nextInt(4);
      for (int node = 0; node < 4 && left > 0; node++) {
        if (node < 4 - nodes && rnd.nextBoolean()) {
          continue;
        }
        long on = node == 3 ? left : 1 + rnd.nextLong(left);
        sb.append(" N").append(node).append('=').append(on);
        left -= on;
      }
      if (left > 0) {
        sb.append(" N3=").append(left);
      }
      sb.append(" kernelpagesize_kB=").append(huge ? 2048 : 4).append('\n');
      addr += (huge ? 2L << 20 : 4096L) * (pages + rnd.nextInt(64));
    }
    return sb.toString();
  }
}
