package tierd.model;

/**
 * Text that does not follow the kernel's format for a value: a node or CPU list, a node mask, a
 * memory policy. It names the offending token and what is wrong with it, and the line when the
 * value was read from one; the reader of a kernel file turns it into a {@code
 * tierd.kernelfs.KernelFsException} that adds the file.
 */
public final class MalformedValueException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final String token;
  private final String detail;

  /**
   * @param line 1-based line of the text the value was on, 0 when the value is the whole text
   * @param token the offending part of the text
   * @param detail what is wrong with it
   */
  public MalformedValueException(int line, String token, String detail) {
    super((line > 0 ? "line " + line + ": " : "") + "'" + token + "': " + detail);
    this.line = line;
    this.token = token;
    this.detail = detail;
  }

  public int line() {
    return line;
  }

  public String token() {
    return token;
  }

  public String detail() {
    return detail;
  }
}
