package tierd.model;

import java.util.BitSet;

/**
 * The kernel's list format ({@code %*pbl}: {@code 0-3,8,10-11}) and mask format ({@code %*pb}:
 * comma-separated 32-bit hex words, most significant first, as in {@code Mems_allowed}).
 */
final class ListFormat {

  private ListFormat() {}

  static BitSet parseList(String text, int maxId, String what) {
    BitSet bits = new BitSet();
    String s = text.strip();
    if (s.isEmpty()) {
      return bits;
    }
    for (String part : s.split(",", -1)) {
      if (part.isEmpty()) {
        throw new MalformedValueException(0, text, what + ": empty element in list");
      }
      int dash = part.indexOf('-');
      int colon = part.indexOf(':');
      if (colon >= 0) {
        // "0-15:2/4" stride syntax is accepted by the kernel on input but never printed by %*pbl.
        throw new MalformedValueException(0, part, what + ": stride syntax not supported");
      }
      if (dash < 0) {
        int v = parseId(part, maxId, what);
        bits.set(v);
      } else {
        int lo = parseId(part.substring(0, dash), maxId, what);
        int hi = parseId(part.substring(dash + 1), maxId, what);
        if (hi < lo) {
          throw new MalformedValueException(0, part, what + ": descending range");
        }
        bits.set(lo, hi + 1);
      }
    }
    return bits;
  }

  static BitSet parseMask(String text, int maxId, String what) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new MalformedValueException(0, text, what + ": empty mask");
    }
    String[] words = s.split(",", -1);
    BitSet bits = new BitSet();
    int bitBase = 0;
    for (int w = words.length - 1; w >= 0; w--, bitBase += 32) {
      String word = words[w];
      if (word.isEmpty() || word.length() > 8) {
        throw new MalformedValueException(0, word, what + ": mask word is not 1-8 hex digits");
      }
      long v;
      try {
        v = Long.parseLong(word, 16);
      } catch (NumberFormatException e) {
        throw new MalformedValueException(0, word, what + ": mask word is not hex");
      }
      for (int b = 0; b < 32; b++) {
        if ((v & (1L << b)) != 0) {
          int id = bitBase + b;
          if (id > maxId) {
            throw new MalformedValueException(0, word, what + ": bit " + id + " > " + maxId);
          }
          bits.set(id);
        }
      }
    }
    return bits;
  }

  static String format(BitSet bits) {
    StringBuilder sb = new StringBuilder();
    int i = bits.nextSetBit(0);
    while (i >= 0) {
      int end = bits.nextClearBit(i) - 1;
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(i);
      if (end > i) {
        sb.append('-').append(end);
      }
      i = bits.nextSetBit(end + 1);
    }
    return sb.toString();
  }

  private static int parseId(String s, int maxId, String what) {
    if (s.isEmpty() || s.length() > 7) {
      throw new MalformedValueException(0, s, what + ": not an id");
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new MalformedValueException(0, s, what + ": not an id");
      }
      v = v * 10 + (c - '0');
    }
    if (v > maxId) {
      throw new MalformedValueException(0, s, what + ": id above " + maxId);
    }
    return v;
  }
}
