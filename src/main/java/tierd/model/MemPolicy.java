package tierd.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A NUMA memory policy as the kernel prints it ({@code mpol_to_str} in mm/mempolicy.c): {@code
 * <mode>[=<flags>][:<nodelist>]}, e.g. {@code bind=static|balancing:0-1}, {@code prefer
 * (many):0,2}, {@code weighted interleave:0-1}. Mode names may contain spaces and parentheses, so
 * they are matched by known prefix, never by splitting on blanks.
 */
public record MemPolicy(Mode mode, Set<Flag> flags, NodeSet nodes) {

  /** Policy modes in the kernel's {@code policy_modes[]} order. */
  public enum Mode {
    DEFAULT("default"),
    PREFERRED("prefer"),
    BIND("bind"),
    INTERLEAVE("interleave"),
    LOCAL("local"),
    PREFERRED_MANY("prefer (many)"),
    WEIGHTED_INTERLEAVE("weighted interleave"),
    UNKNOWN("unknown");

    private final String kernelName;

    Mode(String kernelName) {
      this.kernelName = kernelName;
    }

    public String kernelName() {
      return kernelName;
    }
  }

  /** Mode flags: MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING. */
  public enum Flag {
    STATIC("static"),
    RELATIVE("relative"),
    BALANCING("balancing");

    private final String kernelName;

    Flag(String kernelName) {
      this.kernelName = kernelName;
    }

    public String kernelName() {
      return kernelName;
    }
  }

  public static final MemPolicy DEFAULT =
      new MemPolicy(Mode.DEFAULT, Collections.emptySet(), NodeSet.empty());

  // Longest names first so "prefer (many)" wins over "prefer" and "weighted interleave" is whole.
  private static final Mode[] BY_PREFIX = {
    Mode.WEIGHTED_INTERLEAVE,
    Mode.PREFERRED_MANY,
    Mode.INTERLEAVE,
    Mode.PREFERRED,
    Mode.DEFAULT,
    Mode.UNKNOWN,
    Mode.LOCAL,
    Mode.BIND,
  };

  public MemPolicy {
    flags =
        flags.isEmpty()
            ? Collections.emptySet()
            : Collections.unmodifiableSet(EnumSet.copyOf(flags));
  }

  public static MemPolicy of(Mode mode, NodeSet nodes) {
    return new MemPolicy(mode, Collections.emptySet(), nodes);
  }

  /**
   * Parses a policy at the start of {@code text} and returns it with the number of characters it
   * used, so that numa_maps can go on with the next token.
   */
  public static Parsed parsePrefix(String text, int line) {
    return parsePrefix(text, 0, line);
  }

  /**
   * {@link #parsePrefix(String, int)} of the text from index {@code from} on, without cutting it
   * out (numa_maps lines are parsed in place); the length is counted from {@code from}.
   */
  public static Parsed parsePrefix(String text, int from, int line) {
    int n = text.length();
    if (text.startsWith("default", from) && (from + 7 == n || isBlank(text.charAt(from + 7)))) {
      return DEFAULT_PREFIX; // the common case, without the allocations below
    }
    Mode mode = null;
    for (Mode m : BY_PREFIX) {
      String name = m.kernelName;
      if (text.startsWith(name, from)
          && (n == from + name.length() || isEnd(text.charAt(from + name.length())))) {
        mode = m;
        break;
      }
    }
    if (mode == null) {
      int end = tokenEnd(text, from);
      throw new MalformedValueException(
          line, text.substring(from, end), "unknown memory policy mode");
    }
    int i = from + mode.kernelName.length();
    Set<Flag> flags = EnumSet.noneOf(Flag.class);
    if (i < n && text.charAt(i) == '=') {
      int end = i + 1;
      while (end < n && text.charAt(end) != ':' && !isBlank(text.charAt(end))) {
        end++;
      }
      String flagText = text.substring(i + 1, end);
      for (String f : flagText.split("\\|", -1)) {
        Flag flag = flagNamed(f);
        if (flag == null) {
          throw new MalformedValueException(line, flagText, "unknown memory policy flag");
        }
        flags.add(flag);
      }
      i = end;
    }
    NodeSet nodes = NodeSet.empty();
    if (i < n && text.charAt(i) == ':') {
      int end = tokenEnd(text, i + 1);
      String list = text.substring(i + 1, end);
      try {
        nodes = NodeSet.parse(list);
      } catch (MalformedValueException e) {
        throw new MalformedValueException(line, list, "bad policy nodelist: " + e.detail());
      }
      if (nodes.isEmpty()) {
        throw new MalformedValueException(line, text.substring(from, end), "empty policy nodelist");
      }
      i = end;
    }
    if (i < n && !isBlank(text.charAt(i))) {
      throw new MalformedValueException(
          line, text.substring(from, tokenEnd(text, from)), "bad memory policy");
    }
    if (nodes.isEmpty() == needsNodes(mode)) {
      throw new MalformedValueException(
          line,
          text.substring(from, i),
          nodes.isEmpty()
              ? "policy '" + mode.kernelName + "' without its nodelist"
              : "policy '" + mode.kernelName + "' takes no nodelist");
    }
    return new Parsed(new MemPolicy(mode, flags, nodes), i - from);
  }

  private static final Parsed DEFAULT_PREFIX = new Parsed(DEFAULT, 7);

  /**
   * Whether the kernel prints a nodelist for this mode: {@code mpol_to_str} prints {@code
   * pol->nodes} for prefer, prefer (many), bind and both interleaves, where it is never empty (a
   * rebind to a cpuset without those nodes falls back to the cpuset's), and none for default, local
   * and unknown.
   */
  private static boolean needsNodes(Mode mode) {
    return switch (mode) {
      case PREFERRED, PREFERRED_MANY, BIND, INTERLEAVE, WEIGHTED_INTERLEAVE -> true;
      case DEFAULT, LOCAL, UNKNOWN -> false;
    };
  }

  /** Parses a whole policy string. */
  public static MemPolicy parse(String text) {
    Parsed p = parsePrefix(text, 0);
    if (p.length() != text.length()) {
      throw new MalformedValueException(0, text, "trailing text after memory policy");
    }
    return p.policy();
  }

  /** A parsed policy and how many characters of the input it spans. */
  public record Parsed(MemPolicy policy, int length) {}

  private static Flag flagNamed(String s) {
    for (Flag f : Flag.values()) {
      if (f.kernelName.equals(s)) {
        return f;
      }
    }
    return null;
  }

  private static boolean isEnd(char c) {
    return c == '=' || c == ':' || isBlank(c);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static int tokenEnd(String s, int from) {
    int i = from;
    while (i < s.length() && !isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The kernel's spelling, e.g. {@code bind=static|balancing:0-1}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(mode.kernelName);
    if (!flags.isEmpty()) {
      sb.append('=');
      boolean first = true;
      for (Flag f : Flag.values()) {
        if (flags.contains(f)) {
          if (!first) {
            sb.append('|');
          }
          sb.append(f.kernelName);
          first = false;
        }
      }
    }
    if (!nodes.isEmpty()) {
      sb.append(':').append(nodes);
    }
    return sb.toString();
  }
}
