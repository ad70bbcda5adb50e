package tierd.source.proc;

import java.util.ArrayList;
import java.util.List;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;
import tierd.model.AddressRange;

/**
 * {@code /proc/<pid>/maps}: the VMA list with end addresses, which numa_maps lacks.
 *
 * <p>Format: {@code show_map_vma()} in fs/proc/task_mmu.c, proc(5): {@code start-end perms offset
 * major:minor inode [path]}; the path is padded with blanks and may contain spaces or end in {@code
 * (deleted)}.
 */
public final class ProcMaps {

  private ProcMaps() {}

  /** One mapping. {@code path} is empty for anonymous memory. */
  public record Mapping(AddressRange range, String perms, long offset, long inode, String path) {

    public boolean readable() {
      return perms.charAt(0) == 'r';
    }

    public boolean shared() {
      return perms.charAt(3) == 's';
    }

    /** {@code [vsyscall]}, {@code [vvar]}, {@code [vdso]}: not movable memory. */
    public boolean special() {
      return path.equals("[vsyscall]")
          || path.equals("[vvar]")
          || path.equals("[vdso]")
          || path.equals("[vvar_vclock]");
    }
  }

  public static List<Mapping> read(KernelRoot root, int pid) {
    var path = root.pid(pid, "maps");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static List<Mapping> parse(String text) {
    List<Mapping> out = new ArrayList<>();
    // Field boundaries are found in place (no token strings): maps is read for every managed
    // process every cycle, and splitting each line into strings was most of its cost.
    int[] at = new int[10];
    Parse.forEachLine(text, (line, lineNo) -> parseLine(line, lineNo, at, out));
    return out;
  }

  private static void parseLine(String line, int lineNo, int[] at, List<Mapping> out) {
    if (line.isBlank()) {
      return;
    }
    int n = line.length();
    int fields = 0;
    int pos = 0;
    while (fields < 5) {
      int from = Parse.skipBlanks(line, pos, n);
      if (from == n) {
        break;
      }
      pos = Parse.tokenEnd(line, from, n);
      at[2 * fields] = from;
      at[2 * fields + 1] = pos;
      fields++;
    }
    if (fields < 5) {
      throw KernelFsException.malformed(lineNo, line, "expected at least 5 fields");
    }
    int rangeFrom = at[0];
    int rangeTo = at[1];
    int dash = line.indexOf('-', rangeFrom);
    if (dash < 0 || dash >= rangeTo || dash == rangeFrom) {
      throw KernelFsException.malformed(
          lineNo, line.substring(rangeFrom, rangeTo), "expected start-end");
    }
    long start = Parse.hex(line, rangeFrom, dash, lineNo, "start");
    long end = Parse.hex(line, dash + 1, rangeTo, lineNo, "end");
    if (start < 0) {
      // Above 2^63: the [vsyscall] gate area, a kernel address that is not a VMA (numa_maps
      // does not list it) and can never be migrated.
      return;
    }
    if (end < 0) {
      throw KernelFsException.malformed(
          lineNo, line.substring(rangeFrom, rangeTo), "end beyond the user address space");
    }
    if (end < start) {
      throw KernelFsException.malformed(
          lineNo, line.substring(rangeFrom, rangeTo), "end before start");
    }
    if (at[3] - at[2] != 4) {
      throw KernelFsException.malformed(
          lineNo, line.substring(at[2], at[3]), "perms must be 4 characters");
    }
    String perms = permsOf(line, at[2]);
    long offset = Parse.hex(line, at[4], at[5], lineNo, "offset");
    long inode = Parse.unsigned(line, at[8], at[9], lineNo, "inode");
    String path = "";
    int pathFrom = skipSpaces(line, pos, n);
    int tab = line.indexOf('\t');
    if (pathFrom < n && (tab < 0 || tab > pathFrom)) {
      // The path is everything after the inode column (and the kernel's padding), spaces
      // included. Without tabs before it, that is where the scan above stopped.
      path = line.substring(pathFrom);
    } else if (Parse.skipBlanks(line, pos, n) < n) {
      int idx = indexOfField(line, 5);
      path = line.substring(idx);
    }
    out.add(new Mapping(new AddressRange(start, end), perms, offset, inode, path));
  }

  /** First index at or after {@code i} that is not a space (the padding before the path). */
  private static int skipSpaces(String s, int i, int n) {
    while (i < n && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** The four perms characters as a shared string for the common values. */
  private static String permsOf(String line, int from) {
    for (String p : COMMON_PERMS) {
      if (line.startsWith(p, from)) {
        return p;
      }
    }
    return line.substring(from, from + 4);
  }

  private static final String[] COMMON_PERMS = {"rw-p", "r--p", "r-xp", "---p", "rw-s", "r--s"};

  private static int indexOfField(String line, int field) {
    int i = 0;
    int n = line.length();
    for (int k = 0; k < field; k++) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      while (i < n && line.charAt(i) != ' ') {
        i++;
      }
    }
    while (i < n && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
