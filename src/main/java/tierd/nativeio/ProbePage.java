package tierd.nativeio;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * One page of tierd's own memory whose address is known, for probes that watch what the kernel
 * records about a page tierd writes (the soft-dirty probe reads its pagemap entry). It is the
 * page-aligned page inside a {@code malloc} of three pages ({@link Memory}), so no other allocation
 * shares it; freed on {@link #close}.
 */
public final class ProbePage implements AutoCloseable {

  private final Memory block;
  private final long address;
  private final long pageBytes;
  private byte next;

  private ProbePage(Memory block, long address, long pageBytes) {
    this.block = block;
    this.address = address;
    this.pageBytes = pageBytes;
  }

  /** Allocates the page; {@code pageBytes} is the base page size (a power of two). */
  public static ProbePage allocate(long pageBytes) {
    if (pageBytes <= 0 || Long.bitCount(pageBytes) != 1) {
      throw new IllegalArgumentException("pageBytes must be a power of two, got " + pageBytes);
    }
    Memory block = new Memory(3 * pageBytes);
    long start = Pointer.nativeValue(block);
    long aligned = (start + pageBytes - 1) & -pageBytes;
    return new ProbePage(block, aligned, pageBytes);
  }

  /** The page's virtual address (page-aligned). */
  public long address() {
    return address;
  }

  public long pageBytes() {
    return pageBytes;
  }

  /** Writes one byte of the page (a different value each time, so no write is elided). */
  public void write() {
    block.setByte(address - Pointer.nativeValue(block), ++next);
  }

  @Override
  public void close() {
    block.close();
  }
}
