package tierd.source.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;

/**
 * {@code /proc/<pid>/pagemap}: one 64-bit entry per virtual page, at file offset {@code (vaddr /
 * pageBytes) * 8}, in the machine's byte order. Read with positioned reads of whole entries; the
 * kernel rejects offsets and sizes that are not multiples of 8 (pagemap_read in
 * fs/proc/task_mmu.c).
 *
 * <p>Bits (Documentation/admin-guide/mm/pagemap.rst): 0-54 PFN if present (zero without
 * CAP_SYS_ADMIN since 4.2), or swap type/offset if swapped; 55 soft-dirty; 56 exclusively mapped
 * (4.2); 57 uffd-wp (5.13); 58 guard region (6.15); 61 file-page or shared-anon (3.5); 62 swapped;
 * 63 present.
 */
public final class Pagemap implements AutoCloseable {

  public static final int ENTRY_BYTES = 8;
  public static final long PFN_MASK = (1L << 55) - 1;
  public static final int BIT_SOFT_DIRTY = 55;
  public static final int BIT_EXCLUSIVE = 56;
  public static final int BIT_FILE_SHARED = 61;
  public static final int BIT_SWAPPED = 62;
  public static final int BIT_PRESENT = 63;

  /** Entries read per system call: 512 KiB of pagemap, i.e. 256 MiB of 4 KiB pages. */
  static final int BATCH_ENTRIES = 64 << 10;

  private final Path path;
  private final FileChannel channel;

  private Pagemap(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  public static Pagemap open(KernelRoot root, int pid) {
    Path p = root.pid(pid, "pagemap");
    try {
      return new Pagemap(p, FileChannel.open(p, StandardOpenOption.READ));
    } catch (IOException e) {
      throw KernelFiles.classify(p, e);
    }
  }

  public static boolean present(long entry) {
    return entry < 0; // bit 63
  }

  public static boolean swapped(long entry) {
    return (entry & (1L << BIT_SWAPPED)) != 0;
  }

  /** The page frame number of a present entry; 0 when hidden from an unprivileged reader. */
  public static long pfn(long entry) {
    return present(entry) ? entry & PFN_MASK : 0;
  }

  /**
   * Bit 55: the page was written since the last {@code clear_refs} 4 (soft-dirty.rst), or its VMA
   * was mapped or grown since then (the kernel marks new VMAs soft-dirty as a whole). Always 0 on a
   * kernel without CONFIG_MEM_SOFT_DIRTY.
   */
  public static boolean softDirty(long entry) {
    return (entry & (1L << BIT_SOFT_DIRTY)) != 0;
  }

  public static boolean exclusive(long entry) {
    return (entry & (1L << BIT_EXCLUSIVE)) != 0;
  }

  public static boolean fileOrShared(long entry) {
    return (entry & (1L << BIT_FILE_SHARED)) != 0;
  }

  /** Entries from raw bytes in native order (a whole number of entries). */
  public static long[] parse(byte[] bytes) {
    if (bytes.length % ENTRY_BYTES != 0) {
      throw KernelFsException.malformed(
          0, Integer.toString(bytes.length), "pagemap bytes not a multiple of 8");
    }
    long[] out = new long[bytes.length / ENTRY_BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asLongBuffer().get(out);
    return out;
  }

  /** One entry per page of {@code range}, which must be page-aligned. */
  public long[] read(AddressRange range, long pageBytes) {
    if (range.start() % pageBytes != 0 || range.end() % pageBytes != 0) {
      throw new IllegalArgumentException("range " + range + " not aligned to " + pageBytes);
    }
    int pages = Math.toIntExact(range.sizeBytes() / pageBytes);
    long[] out = new long[pages];
    long firstPage = range.start() / pageBytes;
    ByteBuffer buf =
        ByteBuffer.allocate(Math.min(pages, BATCH_ENTRIES) * ENTRY_BYTES)
            .order(ByteOrder.nativeOrder());
    int done = 0;
    try {
      while (done < pages) {
        int n = Math.min(pages - done, BATCH_ENTRIES);
        buf.clear().limit(n * ENTRY_BYTES);
        long pos = (firstPage + done) * ENTRY_BYTES;
        while (buf.hasRemaining()) {
          int r = channel.read(buf, pos + buf.position());
          if (r < 0) {
            break;
          }
        }
        if (buf.position() % ENTRY_BYTES != 0) {
          throw KernelFsException.of(
              KernelFsException.Kind.IO, path, "short read of " + buf.position() + " bytes", null);
        }
        int got = buf.position() / ENTRY_BYTES;
        buf.flip();
        buf.asLongBuffer().get(out, done, got);
        // Past the end of the address space the kernel returns 0 bytes: entries stay 0.
        done += n;
      }
    } catch (IOException e) {
      throw KernelFiles.classify(path, e);
    }
    return out;
  }

  /** What {@link #scan} hands over: the entries of pages {@code [firstPageAddress, ...)}. */
  @FunctionalInterface
  public interface Batch {
    void accept(long firstPageAddress, long[] entries);
  }

  /**
   * Reads {@code range} (page-aligned) in batches of at most {@code batchPages} entries, so that a
   * large VMA never needs one array for all of its pages.
   */
  public void scan(AddressRange range, long pageBytes, int batchPages, Batch batch) {
    long step = batchPages * pageBytes;
    for (long start = range.start(); start < range.end(); start += step) {
      AddressRange part = new AddressRange(start, Math.min(range.end(), start + step));
      batch.accept(start, read(part, pageBytes));
    }
  }

  public Path path() {
    return path;
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
