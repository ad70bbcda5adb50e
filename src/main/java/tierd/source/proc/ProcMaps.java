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
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      List<String> f = Parse.fields(line);
      if (f.size() < 5) {
        throw KernelFsException.malformed(lineNo, line, "expected at least 5 fields");
      }
      String range = f.get(0);
      int dash = range.indexOf('-');
      if (dash <= 0) {
        throw KernelFsException.malformed(lineNo, range, "expected start-end");
      }
      long start = Parse.hex(range.substring(0, dash), lineNo, "start");
      long end = Parse.hex(range.substring(dash + 1), lineNo, "end");
      if (start < 0) {
        // Above 2^63: the [vsyscall] gate area, a kernel address that is not a VMA (numa_maps
        // does not list it) and can never be migrated.
        continue;
      }
      if (end < 0) {
        throw KernelFsException.malformed(lineNo, range, "end beyond the user address space");
      }
      if (end < start) {
        throw KernelFsException.malformed(lineNo, range, "end before start");
      }
      String perms = f.get(1);
      if (perms.length() != 4) {
        throw KernelFsException.malformed(lineNo, perms, "perms must be 4 characters");
      }
      long offset = Parse.hex(f.get(2), lineNo, "offset");
      long inode = Parse.unsigned(f.get(4), lineNo, "inode");
      String path = "";
      if (f.size() > 5) {
        // The path is everything after the inode column, spaces included.
        int idx = indexOfField(line, 5);
        path = line.substring(idx);
      }
      out.add(new Mapping(new AddressRange(start, end), perms, offset, inode, path));
    }
    return out;
  }

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
