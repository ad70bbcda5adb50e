package tierd.heat.accessed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.WordFiles;

/**
 * {@code /sys/kernel/mm/page_idle/bitmap} (CONFIG_IDLE_PAGE_TRACKING;
 * Documentation/admin-guide/mm/idle_page_tracking.rst): an array of 64-bit words, bit {@code i} of
 * word {@code w} standing for PFN {@code 64 * w + i}. Reads and writes must be 8-byte aligned and a
 * multiple of 8 bytes long (EINVAL otherwise; ENXIO past the last PFN).
 *
 * <p>Reading a word checks each page's Accessed bits through rmap (clearing them) and returns 1 for
 * pages still idle; writing 1 bits marks those pages idle, 0 bits are ignored (the kernel ORs).
 * Only user pages on an LRU can be marked; head pages stand for whole huge pages.
 */
public final class PageIdleBitmap implements AutoCloseable {

  private final Path path;
  private final FileChannel channel;

  private PageIdleBitmap(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  public static Path path(KernelRoot root) {
    return root.sys("kernel/mm/page_idle/bitmap");
  }

  public static PageIdleBitmap open(KernelRoot root) {
    Path p = path(root);
    try {
      return new PageIdleBitmap(
          p, FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw KernelFiles.classify(p, e);
    }
  }

  /** {@code count} words from word index {@code firstWord}. */
  public long[] read(long firstWord, int count) {
    return WordFiles.read(channel, path, firstWord, count);
  }

  /** Marks idle every PFN whose bit is set in {@code words} (from word {@code firstWord}). */
  public void write(long firstWord, long[] words) {
    ByteBuffer buf = ByteBuffer.allocate(words.length * 8).order(ByteOrder.nativeOrder());
    buf.asLongBuffer().put(words);
    try {
      while (buf.hasRemaining()) {
        channel.write(buf, firstWord * 8 + buf.position());
      }
    } catch (IOException e) {
      throw KernelFiles.classify(path, e);
    }
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
