package tierd.source.proc;

import java.util.ArrayList;
import java.util.List;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;
import tierd.model.AddressRange;

/**
 * {@code /proc/<pid>/smaps}: per VMA, a maps-style header line followed by {@code Key: value kB}
 * lines (show_smap / __show_smap in fs/proc/task_mmu.c; Documentation/filesystems/proc.rst §smaps).
 * tierd reads {@code Rss} (resident bytes) and {@code Referenced} (resident bytes whose page-table
 * Accessed bit, young flag or PG_referenced is set — cleared by writing 1 to {@code clear_refs}),
 * plus {@code Anonymous}, {@code KernelPageSize} and {@code THPeligible} (1 when the VMA may hold
 * PMD-mapped THPs: the global mode, MADV_HUGEPAGE / MADV_NOHUGEPAGE, PR_SET_THP_DISABLE and the
 * VMA's type and alignment decided; added in Linux 5.0 by commit 7635d9cbe832 "mm, thp, proc:
 * report THP eligibility for each vma", so a VMA without the line counts as eligible). Other keys,
 * including ones a newer kernel adds, are skipped; {@code VmFlags} is not a size.
 *
 * <p>Reading walks every page table of the process, like numa_maps.
 */
public final class Smaps {

  private Smaps() {}

  /**
   * One VMA. Sizes are in bytes (the file says kB). {@code thpEligible}: its {@code THPeligible}
   * line, true when the kernel printed none.
   */
  public record Entry(
      AddressRange range,
      String path,
      long rssBytes,
      long referencedBytes,
      long anonymousBytes,
      long kernelPageBytes,
      boolean thpEligible) {}

  public static List<Entry> read(KernelRoot root, int pid) {
    var path = root.pid(pid, "smaps");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static List<Entry> parse(String text) {
    List<Entry> out = new ArrayList<>();
    List<String> lines = Parse.lines(text);
    AddressRange range = null;
    String path = "";
    long rss = -1;
    long referenced = -1;
    long anonymous = 0;
    long pageBytes = 0;
    boolean thpEligible = true;
    int headerLine = 0;
    boolean skipping = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int lineNo = i + 1;
      if (line.isBlank()) {
        continue;
      }
      // A key line's first token ends with ':' (keys have no spaces); anything else is a header.
      // Only the five keys tierd reads are split into fields: a VMA has about twenty more lines.
      int space = line.indexOf(' ');
      int tokenEnd = space < 0 ? line.length() : space;
      if (tokenEnd == 0 || line.charAt(tokenEnd - 1) != ':') {
        if (range != null) {
          out.add(
              finish(range, path, rss, referenced, anonymous, pageBytes, thpEligible, headerLine));
        }
        List<String> f = Parse.fields(line);
        range = header(f.get(0), lineNo);
        skipping = range == null;
        path = f.size() >= 6 ? String.join(" ", f.subList(5, f.size())) : "";
        rss = -1;
        referenced = -1;
        anonymous = 0;
        pageBytes = 0;
        thpEligible = true;
        headerLine = lineNo;
        continue;
      }
      if (skipping) {
        continue;
      }
      if (range == null) {
        throw KernelFsException.malformed(
            lineNo, line.substring(0, tokenEnd), "key before the first VMA header");
      }
      if (line.startsWith("Rss:")) {
        rss = kiloBytes(line, lineNo, "Rss");
      } else if (line.startsWith("Referenced:")) {
        referenced = kiloBytes(line, lineNo, "Referenced");
      } else if (line.startsWith("Anonymous:")) {
        anonymous = kiloBytes(line, lineNo, "Anonymous");
      } else if (line.startsWith("KernelPageSize:")) {
        pageBytes = kiloBytes(line, lineNo, "KernelPageSize");
      } else if (line.startsWith("THPeligible:")) {
        thpEligible = flag(line, lineNo, "THPeligible");
      }
      // other keys, known or not (VmFlags, ProtectionKey, ...), are skipped
    }
    if (range != null) {
      out.add(finish(range, path, rss, referenced, anonymous, pageBytes, thpEligible, headerLine));
    }
    return out;
  }

  private static Entry finish(
      AddressRange range,
      String path,
      long rss,
      long referenced,
      long anonymous,
      long pageBytes,
      boolean thpEligible,
      int headerLine) {
    if (rss < 0 || referenced < 0) {
      throw KernelFsException.malformed(
          headerLine, range.toString(), "VMA without Rss or Referenced line");
    }
    return new Entry(range, path, rss, referenced, anonymous, pageBytes, thpEligible);
  }

  /** The VMA's range, or null for the [vsyscall] gate area above 2^63 (not a VMA). */
  private static AddressRange header(String token, int lineNo) {
    int dash = token.indexOf('-');
    if (dash <= 0) {
      throw KernelFsException.malformed(lineNo, token, "expected start-end VMA header");
    }
    long s = Parse.hex(token.substring(0, dash), lineNo, "VMA start");
    long e = Parse.hex(token.substring(dash + 1), lineNo, "VMA end");
    if (s < 0) {
      return null;
    }
    if (e < s) {
      throw KernelFsException.malformed(lineNo, token, "VMA end before start");
    }
    return new AddressRange(s, e);
  }

  /** A {@code Key: 0} or {@code Key: 1} line (show_smap prints the flag with %d). */
  private static boolean flag(String line, int lineNo, String key) {
    List<String> f = Parse.fields(line);
    if (f.size() != 2 || !(f.get(1).equals("0") || f.get(1).equals("1"))) {
      throw KernelFsException.malformed(lineNo, String.join(" ", f), key + ": expected 0 or 1");
    }
    return f.get(1).equals("1");
  }

  private static long kiloBytes(String line, int lineNo, String key) {
    List<String> f = Parse.fields(line);
    if (f.size() != 3 || !f.get(2).equals("kB")) {
      throw KernelFsException.malformed(lineNo, String.join(" ", f), key + ": expected 'N kB'");
    }
    return Math.multiplyExact(Parse.unsigned(f.get(1), lineNo, key), 1024L);
  }
}
