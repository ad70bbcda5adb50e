package tierd.kernelfs;

import java.nio.file.Path;
import java.util.List;

/**
 * The base page size in bytes. On the running kernel it is read from the first {@code
 * KernelPageSize:} line of {@code /proc/self/smaps} (4 KiB on x86_64, 4/16/64 KiB on arm64); a
 * fixture root uses 4 KiB, the size its files were captured with.
 */
public final class PageSize {

  public static final long DEFAULT_BYTES = 4096;

  private PageSize() {}

  public static long of(KernelRoot root) {
    if (!root.isHost()) {
      return DEFAULT_BYTES;
    }
    Path smaps = root.proc("self/smaps");
    try {
      return parseSmaps(KernelFiles.read(smaps));
    } catch (KernelFsException e) {
      return DEFAULT_BYTES;
    }
  }

  /** First {@code KernelPageSize: N kB} of an smaps text, in bytes. */
  static long parseSmaps(String text) {
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("KernelPageSize:")) {
        List<String> f = Parse.fields(l);
        if (f.size() != 3 || !f.get(2).equals("kB")) {
          throw KernelFsException.malformed(i + 1, l, "expected 'KernelPageSize: N kB'");
        }
        return Parse.unsigned(f.get(1), i + 1, "KernelPageSize") * 1024;
      }
    }
    throw KernelFsException.malformed(0, "KernelPageSize", "missing in smaps");
  }
}
