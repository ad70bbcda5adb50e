package tierd.nativeio;

/**
 * What a syscall returned: a non-negative {@code value} on success, or {@code -1} with an errno.
 * For {@code move_pages} and {@code migrate_pages} a positive value is the number of pages that
 * were <em>not</em> migrated (since Linux 4.17; see the ML fix "migrate: fix syscall move_pages()
 * return value for failure").
 *
 * @param value the C return value ({@code -1} on failure)
 * @param errno {@code null} on success
 * @param errnoNumber the raw errno, 0 on success (kept for {@link Errno#OTHER})
 */
public record SyscallResult(long value, Errno errno, int errnoNumber) {

  public SyscallResult {
    if (value < 0 && (errno == null || errnoNumber <= 0)) {
      throw new IllegalArgumentException("a failed call (" + value + ") needs a positive errno");
    }
    if (value >= 0 && (errno != null || errnoNumber != 0)) {
      throw new IllegalArgumentException("a successful call (" + value + ") has no errno");
    }
  }

  public static SyscallResult ok(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative success value " + value);
    }
    return new SyscallResult(value, null, 0);
  }

  public static SyscallResult failed(int errnoNumber) {
    return new SyscallResult(-1, Errno.of(errnoNumber), errnoNumber);
  }

  public static SyscallResult failed(Errno errno) {
    if (errno == Errno.OTHER) {
      throw new IllegalArgumentException("use failed(int) for an unlisted errno");
    }
    return failed(errno.number());
  }

  /** From a C return value and the errno read right after the call. */
  public static SyscallResult of(long cReturn, int lastError) {
    return cReturn < 0 ? failed(lastError) : ok(cReturn);
  }

  public boolean failed() {
    return errno != null;
  }

  @Override
  public String toString() {
    return failed() ? "-1 " + Errno.describe(errnoNumber) : Long.toString(value);
  }
}
