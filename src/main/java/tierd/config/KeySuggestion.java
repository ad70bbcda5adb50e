package tierd.config;

import java.util.Collection;
import java.util.Locale;

/**
 * The "did you mean" of an unknown key: the known key of the same section within an edit distance
 * of 2 (case ignored), so that {@code fastmin} points at {@code fastMin}.
 */
final class KeySuggestion {

  private KeySuggestion() {}

  /** {@code " (did you mean 'fastMin'?)"}, or "" when no key of {@code used} is that close. */
  static String of(String k, Collection<String> used) {
    String best = null;
    int bestD = 3;
    for (String u : used) {
      int d = distance(k.toLowerCase(Locale.ROOT), u.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = u;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
