package tierd.source.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;
import tierd.model.MalformedValueException;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;

/**
 * {@code /proc/<pid>/numa_maps}: one line per VMA with its start, effective memory policy and pages
 * per node.
 *
 * <p>Format: {@code show_numa_map()} in fs/proc/task_mmu.c; Documentation/filesystems/proc.rst
 * §numa_maps; numa(7). The policy may contain spaces ({@code prefer (many)}, {@code weighted
 * interleave}), file names are escaped with octal {@code \ooo} for {@code \n \t = space}, a VMA
 * with no present pages ends after the file/heap/stack/huge tokens, and keys this parser does not
 * know are skipped. Reading the file walks every page table of the process under mmap_lock, so
 * callers read it once per cycle at most.
 */
public final class NumaMaps {

  private NumaMaps() {}

  /** What backs the VMA, as numa_maps says. */
  public enum Backing {
    FILE,
    HEAP,
    STACK,
    ANON
  }

  /**
   * One numa_maps line. Page counts are in units of {@code kernelPageSizeBytes} (huge pages for a
   * hugetlb VMA; base pages otherwise, THP included). {@code kernelPageSizeBytes} is absent for a
   * VMA with no present pages.
   */
  public record Entry(
      long start,
      MemPolicy policy,
      Backing backing,
      String file,
      boolean huge,
      long anon,
      long dirty,
      long swapcache,
      long writeback,
      OptionalLong active,
      OptionalLong mapmax,
      SortedMap<Integer, Long> pagesPerNode,
      OptionalLong kernelPageSizeBytes) {

    public Entry {
      pagesPerNode = Collections.unmodifiableSortedMap(new TreeMap<>(pagesPerNode));
    }

    /**
     * Present pages mapped by this process (the kernel's {@code md->pages}, the "mapped" value).
     */
    public long pages() {
      long sum = 0;
      for (long v : pagesPerNode.values()) {
        sum += v;
      }
      return sum;
    }

    /** Pages on the active LRU; the kernel omits the key when all pages are active. */
    public long activePages() {
      return active.orElse(pages());
    }

    public long pagesOn(int node) {
      return pagesPerNode.getOrDefault(node, 0L);
    }

    /** Page size the counts are in; base pages of 4 KiB when the VMA has none present. */
    public long pageBytes() {
      return kernelPageSizeBytes.orElse(DEFAULT_PAGE_BYTES);
    }

    public long bytesOn(int node) {
      return pagesOn(node) * pageBytes();
    }

    public NodeSet nodes() {
      return NodeSet.of(pagesPerNode.keySet());
    }
  }

  public static List<Entry> read(KernelRoot root, int pid) {
    var path = root.pid(pid, "numa_maps");
    String text = KernelFiles.read(path);
    try {
      return parse(text);
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static List<Entry> parse(String text) {
    List<Entry> out = new ArrayList<>();
    parse(text, out::add);
    return out;
  }

  /**
   * Parses {@code text} and hands each entry to {@code each} as it is parsed, so that a caller can
   * join them one at a time instead of holding them all (a process may have 65,530 VMAs, the
   * default vm.max_map_count).
   */
  public static void parse(String text, Consumer<Entry> each) {
    Parse.forEachLine(
        text,
        (line, lineNo) -> {
          if (!line.isBlank()) {
            each.accept(parseLine(line, lineNo));
          }
        });
  }

  static Entry parseLine(String line, int lineNo) {
    int sp = line.indexOf(' ');
    if (sp <= 0) {
      throw KernelFsException.malformed(lineNo, line, "expected '<start> <policy> ...'");
    }
    long start = Parse.hex(line, 0, sp, lineNo, "VMA start");
    MemPolicy.Parsed parsed;
    try {
      parsed = MemPolicy.parsePrefix(line, sp + 1, lineNo);
    } catch (MalformedValueException e) {
      throw KernelFsException.malformed(e.line(), e.token(), e.detail());
    }

    Backing backing = Backing.ANON;
    String file = null;
    boolean huge = false;
    long anon = 0;
    long dirty = 0;
    long swapcache = 0;
    long writeback = 0;
    OptionalLong active = OptionalLong.empty();
    OptionalLong mapmax = OptionalLong.empty();
    OptionalLong kpage = OptionalLong.empty();
    SortedMap<Integer, Long> perNode = new TreeMap<>();

    // Tokens are walked in place, keys compared and numbers read without cutting out strings:
    // numa_maps is read for every managed process every cycle.
    int n = line.length();
    int pos = sp + 1 + parsed.length();
    while (true) {
      int from = Parse.skipBlanks(line, pos, n);
      if (from == n) {
        break;
      }
      int to = Parse.tokenEnd(line, from, n);
      pos = to;
      int eq = line.indexOf('=', from);
      if (eq < 0 || eq >= to) {
        if (Parse.regionIs(line, from, to, "heap")) {
          backing = Backing.HEAP;
        } else if (Parse.regionIs(line, from, to, "stack")) {
          backing = Backing.STACK;
        } else if (Parse.regionIs(line, from, to, "huge")) {
          huge = true;
        }
        // else: unknown bare word from a newer kernel: skip
        continue;
      }
      int v = eq + 1;
      if (v == to) {
        throw KernelFsException.malformed(
            lineNo, line.substring(from, to), "key without value (truncated line?)");
      }
      if (line.charAt(from) == 'N' && eq - from > 1 && isDigits(line, from + 1, eq)) {
        int node = Parse.unsignedInt(line, from + 1, eq, lineNo, "node id");
        if (node >= NodeSet.MAX_NUMNODES) {
          throw KernelFsException.malformed(
              lineNo, line.substring(from, to), "node id out of range");
        }
        long pages = pagesOn(line, from, eq, to, lineNo);
        if (perNode.put(node, pages) != null) {
          throw KernelFsException.malformed(lineNo, line.substring(from, to), "node listed twice");
        }
      } else if (Parse.regionIs(line, from, eq, "file")) {
        backing = Backing.FILE;
        file = unescape(line.substring(v, to));
      } else if (Parse.regionIs(line, from, eq, "anon")) {
        anon = Parse.unsigned(line, v, to, lineNo, "anon");
      } else if (Parse.regionIs(line, from, eq, "dirty")) {
        dirty = Parse.unsigned(line, v, to, lineNo, "dirty");
      } else if (Parse.regionIs(line, from, eq, "mapped")) {
        Parse.unsigned(line, v, to, lineNo, "mapped"); // == sum of N<nid>; validated
      } else if (Parse.regionIs(line, from, eq, "mapmax")) {
        mapmax = OptionalLong.of(Parse.unsigned(line, v, to, lineNo, "mapmax"));
      } else if (Parse.regionIs(line, from, eq, "swapcache")) {
        swapcache = Parse.unsigned(line, v, to, lineNo, "swapcache");
      } else if (Parse.regionIs(line, from, eq, "active")) {
        active = OptionalLong.of(Parse.unsigned(line, v, to, lineNo, "active"));
      } else if (Parse.regionIs(line, from, eq, "writeback")) {
        writeback = Parse.unsigned(line, v, to, lineNo, "writeback");
      } else if (Parse.regionIs(line, from, eq, "kernelpagesize_kB")) {
        kpage = OptionalLong.of(pageSizeBytes(line, v, to, lineNo));
      }
      // other unknown keys: skip
    }
    checkPresentBytes(perNode, kpage.orElse(DEFAULT_PAGE_BYTES), lineNo);
    return new Entry(
        start,
        parsed.policy(),
        backing,
        file,
        huge,
        anon,
        dirty,
        swapcache,
        writeback,
        active,
        mapmax,
        perNode,
        kpage);
  }

  /** Page size of a line without {@code kernelpagesize_kB} (a VMA with no present pages). */
  static final long DEFAULT_PAGE_BYTES = 4096;

  /** Smallest base page of any Linux architecture (4 KiB) and largest huge page (16 GiB, ppc64). */
  static final long MIN_PAGE_KB = 4;

  static final long MAX_PAGE_KB = 16L << 20;

  /**
   * Bytes a user address space can hold at most: 2^57, the 5-level page table limit (x86-64 LA57;
   * arm64 and others stop at 2^52). Present bytes above it are impossible, and it keeps every
   * product of pages and page size in a long.
   */
  static final long MAX_USER_BYTES = 1L << 57;

  /**
   * {@code kernelpagesize_kB} in bytes: {@code vma_kernel_pagesize() >> 10}, always a power of two
   * from 4 kB (the smallest base page) to 16 GiB (the largest huge page). Anything else is not a
   * page size, and a count in it means nothing: the line is rejected.
   */
  private static long pageSizeBytes(String line, int from, int to, int lineNo) {
    long kb = Parse.unsigned(line, from, to, lineNo, "kernelpagesize_kB");
    if (kb < MIN_PAGE_KB || kb > MAX_PAGE_KB || Long.bitCount(kb) != 1) {
      throw KernelFsException.malformed(
          lineNo,
          line.substring(from - "kernelpagesize_kB=".length(), to),
          "not a page size (a power of two from 4 kB to 16 GiB)");
    }
    return kb * 1024;
  }

  /**
   * The line's present pages (the sum of its N counts) times its page size must fit a user address
   * space: a count beyond it is corrupt, and summing it would overflow.
   */
  private static void checkPresentBytes(
      SortedMap<Integer, Long> perNode, long pageBytes, int lineNo) {
    long maxPages = MAX_USER_BYTES / pageBytes;
    long pages = 0;
    for (Map.Entry<Integer, Long> e : perNode.entrySet()) {
      long count = e.getValue();
      if (count > maxPages - pages) {
        throw KernelFsException.malformed(
            lineNo,
            "N" + e.getKey() + "=" + count,
            "more present pages than a user address space holds ("
                + maxPages
                + " pages of "
                + pageBytes
                + " bytes)");
      }
      pages += count;
    }
  }

  /** The count of an {@code N<node>=<pages>} token; the message names the key only on error. */
  private static long pagesOn(String line, int from, int eq, int to, int lineNo) {
    if (to - eq - 1 <= 18 && isDigits(line, eq + 1, to)) {
      long v = 0;
      for (int i = eq + 1; i < to; i++) {
        v = v * 10 + (line.charAt(i) - '0');
      }
      return v;
    }
    return Parse.unsigned(line, eq + 1, to, lineNo, "pages on " + line.substring(from, eq));
  }

  private static boolean isDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return from < to;
  }

  /** Undoes {@code mangle_path}: {@code \ooo} octal escapes for the characters in "\n\t= ". */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  /** Sum of bytes per node over all entries. */
  public static Map<Integer, Long> bytesPerNode(List<Entry> entries) {
    Map<Integer, Long> out = new TreeMap<>();
    for (Entry e : entries) {
      for (var kv : e.pagesPerNode().entrySet()) {
        out.merge(kv.getKey(), kv.getValue() * e.pageBytes(), Long::sum);
      }
    }
    return out;
  }
}
