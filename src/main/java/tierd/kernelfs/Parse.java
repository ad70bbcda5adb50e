package tierd.kernelfs;

import java.util.ArrayList;
import java.util.List;

/**
 * Number and line helpers shared by the pure parsers. Every failure names the line (1-based) and
 * the token, and nothing is ever defaulted: a count that does not parse is an error, not a zero.
 */
public final class Parse {

  private Parse() {}

  /** Lines of {@code text} without the trailing empty line that a final newline leaves. */
  public static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    while (start < n) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        out.add(text.substring(start));
        break;
      }
      out.add(text.substring(start, nl));
      start = nl + 1;
    }
    return out;
  }

  /** What {@link #forEachLine} hands each line to. */
  @FunctionalInterface
  public interface LineConsumer {
    /** {@code lineNo} is 1-based. */
    void accept(String line, int lineNo);
  }

  /**
   * Hands each line of {@code text} (without the newline; no trailing empty line) to {@code each},
   * one at a time, without a list of them all: a large file's lines are garbage as soon as they are
   * parsed.
   */
  public static void forEachLine(String text, LineConsumer each) {
    int start = 0;
    int n = text.length();
    int lineNo = 0;
    while (start < n) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? n : nl;
      each.accept(text.substring(start, end), ++lineNo);
      start = end + 1;
    }
  }

  /** A non-negative decimal. */
  public static long unsigned(String token, int line, String what) {
    return unsigned(token, 0, token.length(), line, what);
  }

  /**
   * {@link #unsigned(String, int, String)} of {@code s[from, to)} without cutting it out first; the
   * hot parsers (maps, numa_maps, stat) read their numbers in place. Errors name the same token.
   */
  public static long unsigned(String s, int from, int to, int line, String what) {
    if (from == to) {
      throw KernelFsException.malformed(line, "", what + ": empty number");
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw KernelFsException.malformed(
            line, s.substring(from, to), what + ": not a non-negative integer");
      }
      int d = c - '0';
      if (v > (Long.MAX_VALUE - d) / 10) {
        throw KernelFsException.malformed(line, s.substring(from, to), what + ": out of range");
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** A signed decimal (some vmstat counters such as nr_* can go transiently negative). */
  public static long signed(String token, int line, String what) {
    if (token.startsWith("-")) {
      return -unsigned(token.substring(1), line, what);
    }
    return unsigned(token, line, what);
  }

  /** A decimal that must fit an int. */
  public static int unsignedInt(String token, int line, String what) {
    return unsignedInt(token, 0, token.length(), line, what);
  }

  /** {@link #unsignedInt(String, int, String)} of {@code s[from, to)}. */
  public static int unsignedInt(String s, int from, int to, int line, String what) {
    long v = unsigned(s, from, to, line, what);
    if (v > Integer.MAX_VALUE) {
      throw KernelFsException.malformed(line, s.substring(from, to), what + ": out of range");
    }
    return (int) v;
  }

  /** Hex without {@code 0x}, as in numa_maps and /proc/PID/maps. */
  public static long hex(String token, int line, String what) {
    return hex(token, 0, token.length(), line, what);
  }

  /** {@link #hex(String, int, String)} of {@code s[from, to)}. */
  public static long hex(String s, int from, int to, int line, String what) {
    if (from == to || to - from > 16) {
      throw KernelFsException.malformed(line, s.substring(from, to), what + ": not a hex address");
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        d = Character.digit(c, 16); // what it always accepted, other scripts' digits included
      }
      if (d < 0) {
        throw KernelFsException.malformed(
            line, s.substring(from, to), what + ": not a hex address");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** First index at or after {@code i} (before {@code end}) that is not a blank (space or tab). */
  public static int skipBlanks(String s, int i, int end) {
    while (i < end && isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** First index at or after {@code i} (before {@code end}) that is a blank, or {@code end}. */
  public static int tokenEnd(String s, int i, int end) {
    while (i < end && !isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** {@code s[from, to)} equals {@code word}. */
  public static boolean regionIs(String s, int from, int to, String word) {
    return to - from == word.length() && s.startsWith(word, from);
  }

  /** Splits on runs of blanks (space or tab). */
  public static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && isBlank(line.charAt(i))) {
        i++;
      }
      int s = i;
      while (i < n && !isBlank(line.charAt(i))) {
        i++;
      }
      if (i > s) {
        out.add(line.substring(s, i));
      }
    }
    return out;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
