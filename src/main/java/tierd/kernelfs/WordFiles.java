package tierd.kernelfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Positioned reads of the kernel's binary files that are arrays of native-endian 64-bit words
 * indexed by page or PFN: {@code /proc/PID/pagemap}, {@code /proc/kpageflags}, {@code
 * /sys/kernel/mm/page_idle/bitmap}. Reads are 8-byte aligned (the kernel answers EINVAL otherwise);
 * words past the end of the file read as 0.
 */
public final class WordFiles {

  private WordFiles() {}

  /**
   * {@code count} words from word index {@code firstWord} of {@code channel} (open on {@code
   * path}).
   */
  public static long[] read(FileChannel channel, Path path, long firstWord, int count) {
    long[] out = new long[count];
    ByteBuffer buf = ByteBuffer.allocate(count * 8).order(ByteOrder.nativeOrder());
    try {
      while (buf.hasRemaining()) {
        int r = channel.read(buf, firstWord * 8 + buf.position());
        if (r < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw KernelFiles.classify(path, e);
    }
    if (buf.position() % 8 != 0) {
      throw KernelFsException.of(KernelFsException.Kind.IO, path, "short read", null);
    }
    int got = buf.position() / 8;
    buf.flip();
    buf.asLongBuffer().get(out, 0, got);
    return out;
  }
}
