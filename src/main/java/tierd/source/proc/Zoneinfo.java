package tierd.source.proc;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * {@code /proc/zoneinfo}: per-zone free pages and watermarks ({@code zoneinfo_show_print()} in
 * mm/vmstat.c), summed per node. The {@code promo} watermark exists only on kernels with
 * NUMA-balancing memory tiering (6.1+); it is absent elsewhere.
 *
 * <p>Watermarks gate tierd's demotions and promotions: demotion starts when a fast node's free
 * pages fall under its {@code low} watermark and promotion needs room above {@code high} (rule 5 of
 * the design: never make the target reclaim).
 */
public record Zoneinfo(Map<Integer, NodeWatermarks> nodes) {

  private static final java.util.Set<String> WATERMARK_KEYS =
      java.util.Set.of("min", "low", "high", "promo", "managed");

  /**
   * Sums over the zones of one node, in pages. {@code promo} is -1 when the kernel lacks it. {@code
   * perCpuFreePages} sums the {@code count} of every CPU's pageset: free pages held in the per-CPU
   * lists, which {@code pages free} (and the node's {@code MemFree}) leave out. Migration frees the
   * pages it moves off a node into the migrating CPU's list, so right after a demotion most of the
   * room it made is there (up to the list's {@code high}, megabytes per CPU), not in {@code free}.
   */
  public record NodeWatermarks(
      long freePages,
      long minPages,
      long lowPages,
      long highPages,
      long promoPages,
      long managedPages,
      long perCpuFreePages) {

    /** Without per-CPU list counts (tests and fixtures that have none). */
    public NodeWatermarks(
        long freePages,
        long minPages,
        long lowPages,
        long highPages,
        long promoPages,
        long managedPages) {
      this(freePages, minPages, lowPages, highPages, promoPages, managedPages, 0);
    }
  }

  public Zoneinfo {
    nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
  }

  public static Zoneinfo read(KernelRoot root) {
    var path = root.proc("zoneinfo");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static Zoneinfo parse(String text) {
    Map<Integer, long[]> acc = new TreeMap<>();
    long[] cur = null;
    boolean inPagesets = false;
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int lineNo = i + 1;
      if (line.startsWith("Node ")) {
        int comma = line.indexOf(',');
        if (comma < 0) {
          throw KernelFsException.malformed(lineNo, line, "expected 'Node N, zone NAME'");
        }
        int node = Parse.unsignedInt(line.substring(5, comma).strip(), lineNo, "node id");
        cur = acc.computeIfAbsent(node, k -> new long[] {0, 0, 0, 0, -1, 0, 0});
        inPagesets = false;
        continue;
      }
      if (cur == null) {
        continue;
      }
      List<String> f = Parse.fields(line);
      if (f.isEmpty()) {
        continue;
      }
      if (f.get(0).equals("pagesets")) {
        inPagesets = true;
        continue;
      }
      if (f.get(0).equals("node_unreclaimable:") || f.get(0).equals("start_pfn:")) {
        inPagesets = false;
        continue;
      }
      if (inPagesets) {
        if (f.get(0).equals("count:")) {
          if (f.size() != 2) {
            throw KernelFsException.malformed(lineNo, line.strip(), "expected 'count: N'");
          }
          cur[6] += Parse.unsigned(f.get(1), lineNo, "pageset count");
        }
        continue;
      }
      String key = f.get(0);
      if (key.equals("pages")) {
        if (f.size() != 3 || !f.get(1).equals("free")) {
          throw KernelFsException.malformed(lineNo, line.strip(), "expected 'pages free N'");
        }
        cur[0] += Parse.unsigned(f.get(2), lineNo, "pages free");
      } else if (WATERMARK_KEYS.contains(key)) {
        if (f.size() != 2) {
          throw KernelFsException.malformed(lineNo, line.strip(), "expected '" + key + " N'");
        }
        switch (key) {
          case "min" -> cur[1] += Parse.unsigned(f.get(1), lineNo, "min");
          case "low" -> cur[2] += Parse.unsigned(f.get(1), lineNo, "low");
          case "high" -> cur[3] += Parse.unsigned(f.get(1), lineNo, "high");
          case "promo" -> cur[4] = Math.max(cur[4], 0) + Parse.unsigned(f.get(1), lineNo, "promo");
          case "managed" -> cur[5] += Parse.unsigned(f.get(1), lineNo, "managed");
          default -> {}
        }
      }
    }
    Map<Integer, NodeWatermarks> out = new TreeMap<>();
    acc.forEach((n, v) -> out.put(n, new NodeWatermarks(v[0], v[1], v[2], v[3], v[4], v[5], v[6])));
    return new Zoneinfo(out);
  }
}
