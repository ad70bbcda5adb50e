package tierd.heat.accessed;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.WordFiles;

/**
 * {@code /proc/kpageflags}: one 64-bit flags word per PFN, at offset {@code pfn * 8}
 * (Documentation/admin-guide/mm/pagemap.rst; bit numbers from
 * include/uapi/linux/kernel-page-flags.h). Root only.
 *
 * <p>The idle-page source needs it because the page_idle bitmap keeps the idle flag of a huge page
 * on its head page only: a tail page always reads "not idle" ({@code page_idle_get_folio} skips
 * tail pages), so tails take their head's answer.
 */
public final class KPageFlags implements AutoCloseable {

  public static final int KPF_LRU = 5;
  public static final int KPF_ACTIVE = 6;
  public static final int KPF_ANON = 12;
  public static final int KPF_COMPOUND_HEAD = 15;
  public static final int KPF_COMPOUND_TAIL = 16;
  public static final int KPF_HUGE = 17;
  public static final int KPF_THP = 22;
  public static final int KPF_ZERO_PAGE = 24;
  public static final int KPF_IDLE = 25;

  private final Path path;
  private final FileChannel channel;

  private KPageFlags(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  public static Path path(KernelRoot root) {
    return root.proc("kpageflags");
  }

  public static KPageFlags open(KernelRoot root) {
    Path p = path(root);
    try {
      return new KPageFlags(p, FileChannel.open(p, StandardOpenOption.READ));
    } catch (IOException e) {
      throw KernelFiles.classify(p, e);
    }
  }

  public static boolean has(long flags, int bit) {
    return (flags & (1L << bit)) != 0;
  }

  public static boolean compoundHead(long flags) {
    return has(flags, KPF_COMPOUND_HEAD);
  }

  public static boolean compoundTail(long flags) {
    return has(flags, KPF_COMPOUND_TAIL);
  }

  /** Flags of {@code count} consecutive PFNs from {@code firstPfn}; past the end they read 0. */
  public long[] read(long firstPfn, int count) {
    return WordFiles.read(channel, path, firstPfn, count);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw KernelFiles.classify(path, e);
    }
  }
}
