package tierd.nativeio;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Test memory of the test's own process: an anonymous private mapping ({@code mmap(2)}) whose pages
 * the test faults in one by one, so it knows exactly which pages are present, which map the zero
 * page and which are not mapped at all. Lives in the nativeio test package because it binds libc
 * through JNA; other test packages use it without importing JNA.
 */
public final class AnonymousMapping implements AutoCloseable {

  static {
    Native.register(AnonymousMapping.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
  private static native long mmap(long addr, long length, int prot, int flags, int fd, long off);

  // int munmap(void *addr, size_t length);
  private static native int munmap(long addr, long length);

  // int madvise(void *addr, size_t length, int advice);
  private static native int madvise(long addr, long length, int advice);

  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_PRIVATE = 0x02;
  private static final int MAP_ANONYMOUS = 0x20;
  private static final long MAP_FAILED = -1;
  private static final int MADV_HUGEPAGE = 14;
  private static final int MADV_NOHUGEPAGE = 15;

  private final long address;
  private final long sizeBytes;
  private final long pageBytes;
  private boolean closed;

  private AnonymousMapping(long address, long sizeBytes, long pageBytes) {
    this.address = address;
    this.sizeBytes = sizeBytes;
    this.pageBytes = pageBytes;
  }

  /**
   * Maps {@code pages} base pages, none present yet. THP is disabled for the range
   * (MADV_NOHUGEPAGE) so that touching one page faults in exactly one page.
   */
  public static AnonymousMapping ofPages(int pages) {
    long pageBytes = NumaSyscalls.load().getpagesize();
    long size = pages * pageBytes;
    long a = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) {
      throw new IllegalStateException(
          "mmap of " + size + " bytes failed: errno " + Native.getLastError());
    }
    AnonymousMapping m = new AnonymousMapping(a, size, pageBytes);
    m.advise(MADV_NOHUGEPAGE);
    return m;
  }

  /**
   * Maps {@code bytes} aligned to 2 MiB with MADV_HUGEPAGE, so that writing it faults in
   * transparent huge pages where the kernel can.
   */
  public static AnonymousMapping hugeAligned(long bytes) {
    long pageBytes = NumaSyscalls.load().getpagesize();
    long align = 2L << 20;
    long size = (bytes + align - 1) / align * align;
    long raw = mmap(0, size + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
      throw new IllegalStateException("mmap failed: errno " + Native.getLastError());
    }
    long a = (raw + align - 1) & ~(align - 1);
    if (a > raw) {
      munmap(raw, a - raw);
    }
    long tail = raw + size + align - (a + size);
    if (tail > 0) {
      munmap(a + size, tail);
    }
    AnonymousMapping m = new AnonymousMapping(a, size, pageBytes);
    m.advise(MADV_HUGEPAGE);
    return m;
  }

  private void advise(int advice) {
    if (madvise(address, sizeBytes, advice) != 0) {
      // THP may be compiled out; the mapping still works with base pages.
      Native.getLastError();
    }
  }

  public long address() {
    return address;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  public long pageBytes() {
    return pageBytes;
  }

  public int pages() {
    return (int) (sizeBytes / pageBytes);
  }

  public long pageAddress(int page) {
    if (page < 0 || page >= pages()) {
      throw new IndexOutOfBoundsException("page " + page + " of " + pages());
    }
    return address + page * pageBytes;
  }

  /** Writes one byte into each page of {@code [from, to)}: they become present. */
  public AnonymousMapping write(int from, int to) {
    Pointer p = new Pointer(address);
    for (int i = from; i < to; i++) {
      p.setByte(i * pageBytes, (byte) (i | 1));
    }
    return this;
  }

  /** Writes the whole mapping. */
  public AnonymousMapping writeAll() {
    new Pointer(address).setMemory(0, sizeBytes, (byte) 0x5a);
    return this;
  }

  /** Reads one byte of a never-written page: it maps the shared zero page. */
  public byte read(int page) {
    return new Pointer(address).getByte(page * pageBytes);
  }

  /** Unmaps {@code [from, to)} pages; their addresses stay unmapped (EFAULT). */
  public AnonymousMapping unmap(int from, int to) {
    if (munmap(pageAddress(from), (long) (to - from) * pageBytes) != 0) {
      throw new IllegalStateException("munmap failed: errno " + Native.getLastError());
    }
    return this;
  }

  /** Sum of bytes of page content, to keep the JIT from dropping writes in benchmarks. */
  public long checksum() {
    Pointer p = new Pointer(address);
    long sum = 0;
    for (long off = 0; off < sizeBytes; off += pageBytes) {
      sum += p.getByte(off);
    }
    return sum;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      munmap(address, sizeBytes);
    }
  }
}
