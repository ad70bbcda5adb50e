package tierd.kernelfs;

import java.nio.file.Path;

/**
 * The one failure type of the kernel readers. {@link Kind} tells the caller what to do: an {@code
 * ABSENT} process file means the process exited (skip it), {@code PERMISSION} means tierd lacks a
 * capability, {@code UNSUPPORTED} means this kernel lacks the interface, and {@code MALFORMED}
 * means the text did not follow the documented format — the message then names the file, the line
 * and the offending token.
 */
public final class KernelFsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as the caller needs to know. */
  public enum Kind {
    ABSENT,
    PERMISSION,
    UNSUPPORTED,
    MALFORMED,
    IO,
    /** Larger than the reader may hold in memory (a bound of the heap, not of the format). */
    TOO_LARGE
  }

  private final Kind kind;
  private final Path file;
  private final int line;
  private final String token;
  private final String detail;

  private KernelFsException(
      Kind kind, Path file, int line, String token, String detail, Throwable cause) {
    super(format(kind, file, line, token, detail), cause);
    this.kind = kind;
    this.file = file;
    this.line = line;
    this.token = token;
    this.detail = detail;
  }

  /** A parse failure on {@code line} (1-based, 0 if the whole text) at {@code token}. */
  public static KernelFsException malformed(int line, String token, String detail) {
    return new KernelFsException(Kind.MALFORMED, null, line, token, detail, null);
  }

  public static KernelFsException malformed(Path file, int line, String token, String detail) {
    return new KernelFsException(Kind.MALFORMED, file, line, token, detail, null);
  }

  public static KernelFsException of(Kind kind, Path file, String detail, Throwable cause) {
    return new KernelFsException(kind, file, 0, null, detail, cause);
  }

  /** The same failure, attributed to {@code file}. Parsers are pure; readers add the path. */
  public KernelFsException withFile(Path path) {
    if (file != null) {
      return this;
    }
    KernelFsException e = new KernelFsException(kind, path, line, token, detail, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  public Kind kind() {
    return kind;
  }

  public Path file() {
    return file;
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

  private static String format(Kind kind, Path file, int line, String token, String detail) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<text>" : file.toString());
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    switch (kind) {
      case ABSENT -> sb.append("absent");
      case PERMISSION -> sb.append("permission denied");
      case UNSUPPORTED -> sb.append("not supported by this kernel");
      case MALFORMED -> sb.append("malformed");
      case IO -> sb.append("I/O error");
      case TOO_LARGE -> sb.append("too large");
    }
    if (token != null) {
      sb.append(" at token '").append(abbreviate(token)).append('\'');
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append(": ").append(detail);
    }
    return sb.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
