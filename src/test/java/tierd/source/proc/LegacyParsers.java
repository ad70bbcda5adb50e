package tierd.source.proc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.Parse;
import tierd.model.AddressRange;
import tierd.model.CpuList;
import tierd.model.MalformedValueException;
import tierd.model.MemPolicy;
import tierd.model.MemPolicy.Flag;
import tierd.model.MemPolicy.Mode;
import tierd.model.NodeSet;

/**
 * The parsers of maps, numa_maps, stat, status and the numa_maps policy prefix as they were before
 * they learnt to read tokens in place (up to commit ae2caca), kept verbatim as the reference that
 * {@link InPlaceParsersTest} holds the current ones to: same values, same errors.
 */
final class LegacyParsers {

  private LegacyParsers() {}

  static long hex(String token, int line, String what) {
    if (token.isEmpty() || token.length() > 16) {
      throw KernelFsException.malformed(line, token, what + ": not a hex address");
    }
    long v = 0;
    for (int i = 0; i < token.length(); i++) {
      int d = Character.digit(token.charAt(i), 16);
      if (d < 0) {
        throw KernelFsException.malformed(line, token, what + ": not a hex address");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  static MemPolicy.Parsed parsePrefix(String text, int line) {
    Mode mode = null;
    for (Mode m : BY_PREFIX) {
      String name = m.kernelName();
      if (text.startsWith(name)
          && (text.length() == name.length() || isEnd(text.charAt(name.length())))) {
        mode = m;
        break;
      }
    }
    if (mode == null) {
      int end = tokenEnd(text, 0);
      throw KernelFsException.malformed(line, text.substring(0, end), "unknown memory policy mode");
    }
    int i = mode.kernelName().length();
    Set<Flag> flags = EnumSet.noneOf(Flag.class);
    if (i < text.length() && text.charAt(i) == '=') {
      int end = i + 1;
      while (end < text.length() && text.charAt(end) != ':' && !isBlank(text.charAt(end))) {
        end++;
      }
      String flagText = text.substring(i + 1, end);
      for (String f : flagText.split("\\|", -1)) {
        Flag flag = flagNamed(f);
        if (flag == null) {
          throw KernelFsException.malformed(line, flagText, "unknown memory policy flag");
        }
        flags.add(flag);
      }
      i = end;
    }
    NodeSet nodes = NodeSet.empty();
    if (i < text.length() && text.charAt(i) == ':') {
      int end = tokenEnd(text, i + 1);
      String list = text.substring(i + 1, end);
      try {
        nodes = NodeSet.parse(list);
      } catch (MalformedValueException e) {
        throw KernelFsException.malformed(line, list, "bad policy nodelist: " + e.detail());
      }
      if (nodes.isEmpty()) {
        throw KernelFsException.malformed(line, list, "empty policy nodelist");
      }
      i = end;
    }
    if (i < text.length() && !isBlank(text.charAt(i))) {
      throw KernelFsException.malformed(
          line, text.substring(0, tokenEnd(text, 0)), "bad memory policy");
    }
    return new MemPolicy.Parsed(new MemPolicy(mode, flags, nodes), i);
  }

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

  private static Flag flagNamed(String s) {
    for (Flag f : Flag.values()) {
      if (f.kernelName().equals(s)) {
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

  static List<NumaMaps.Entry> numaMaps(String text) {
    List<NumaMaps.Entry> out = new ArrayList<>();
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      out.add(parseLine(line, i + 1));
    }
    return out;
  }

  static NumaMaps.Entry parseLine(String line, int lineNo) {
    int sp = line.indexOf(' ');
    if (sp <= 0) {
      throw KernelFsException.malformed(lineNo, line, "expected '<start> <policy> ...'");
    }
    long start = hex(line.substring(0, sp), lineNo, "VMA start");
    String rest = line.substring(sp + 1);
    MemPolicy.Parsed parsed = parsePrefix(rest, lineNo);
    List<String> tokens = Parse.fields(rest.substring(parsed.length()));

    NumaMaps.Backing backing = NumaMaps.Backing.ANON;
    String file = null;
    boolean huge = false;
    long anon = 0;
    long dirty = 0;
    long swapcache = 0;
    long writeback = 0;
    OptionalLong active = OptionalLong.empty();
    OptionalLong mapmax = OptionalLong.empty();
    OptionalLong kpage = OptionalLong.empty();
    SortedMap<Integer, Long> perNode = new TreeMap<>();

    for (String tok : tokens) {
      int eq = tok.indexOf('=');
      if (eq < 0) {
        switch (tok) {
          case "heap" -> backing = NumaMaps.Backing.HEAP;
          case "stack" -> backing = NumaMaps.Backing.STACK;
          case "huge" -> huge = true;
          default -> {
            // unknown bare word from a newer kernel: skip
          }
        }
        continue;
      }
      String key = tok.substring(0, eq);
      String value = tok.substring(eq + 1);
      if (value.isEmpty()) {
        throw KernelFsException.malformed(lineNo, tok, "key without value (truncated line?)");
      }
      switch (key) {
        case "file" -> {
          backing = NumaMaps.Backing.FILE;
          file = NumaMaps.unescape(value);
        }
        case "anon" -> anon = Parse.unsigned(value, lineNo, "anon");
        case "dirty" -> dirty = Parse.unsigned(value, lineNo, "dirty");
        case "mapped" -> Parse.unsigned(value, lineNo, "mapped"); // == sum of N<nid>; validated
        case "mapmax" -> mapmax = OptionalLong.of(Parse.unsigned(value, lineNo, "mapmax"));
        case "swapcache" -> swapcache = Parse.unsigned(value, lineNo, "swapcache");
        case "active" -> active = OptionalLong.of(Parse.unsigned(value, lineNo, "active"));
        case "writeback" -> writeback = Parse.unsigned(value, lineNo, "writeback");
        case "kernelpagesize_kB" ->
            kpage = OptionalLong.of(Parse.unsigned(value, lineNo, "kernelpagesize_kB") * 1024);
        default -> {
          if (key.length() > 1 && key.charAt(0) == 'N' && isDigits(key, 1)) {
            int node = Parse.unsignedInt(key.substring(1), lineNo, "node id");
            if (node >= NodeSet.MAX_NUMNODES) {
              throw KernelFsException.malformed(lineNo, tok, "node id out of range");
            }
            long pages = Parse.unsigned(value, lineNo, "pages on " + key);
            if (perNode.put(node, pages) != null) {
              throw KernelFsException.malformed(lineNo, tok, "node listed twice");
            }
          }
          // other unknown keys: skip
        }
      }
    }
    return new NumaMaps.Entry(
        start,
        parsed.policy(),
        backing,
        file,
        huge,
        anon,
        dirty,
        swapcache,
        writeback,
        active,
        mapmax,
        perNode,
        kpage);
  }

  private static boolean isDigits(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return from < s.length();
  }

  static List<ProcMaps.Mapping> procMaps(String text) {
    List<ProcMaps.Mapping> out = new ArrayList<>();
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      List<String> f = Parse.fields(line);
      if (f.size() < 5) {
        throw KernelFsException.malformed(lineNo, line, "expected at least 5 fields");
      }
      String range = f.get(0);
      int dash = range.indexOf('-');
      if (dash <= 0) {
        throw KernelFsException.malformed(lineNo, range, "expected start-end");
      }
      long start = hex(range.substring(0, dash), lineNo, "start");
      long end = hex(range.substring(dash + 1), lineNo, "end");
      if (start < 0) {
        // Above 2^63: the [vsyscall] gate area, a kernel address that is not a VMA (numa_maps
        // does not list it) and can never be migrated.
        continue;
      }
      if (end < 0) {
        throw KernelFsException.malformed(lineNo, range, "end beyond the user address space");
      }
      if (end < start) {
        throw KernelFsException.malformed(lineNo, range, "end before start");
      }
      String perms = f.get(1);
      if (perms.length() != 4) {
        throw KernelFsException.malformed(lineNo, perms, "perms must be 4 characters");
      }
      long offset = hex(f.get(2), lineNo, "offset");
      long inode = Parse.unsigned(f.get(4), lineNo, "inode");
      String path = "";
      if (f.size() > 5) {
        // The path is everything after the inode column, spaces included.
        int idx = indexOfField(line, 5);
        path = line.substring(idx);
      }
      out.add(new ProcMaps.Mapping(new AddressRange(start, end), perms, offset, inode, path));
    }
    return out;
  }

  private static int indexOfField(String line, int field) {
    int i = 0;
    int n = line.length();
    for (int k = 0; k < field; k++) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      while (i < n && line.charAt(i) != ' ') {
        i++;
      }
    }
    while (i < n && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  static ProcStat procStat(String text) {
    String s = text.strip();
    int open = s.indexOf(" (");
    int close = s.lastIndexOf(')');
    if (open <= 0 || close < open) {
      throw KernelFsException.malformed(1, abbreviate(s), "expected 'pid (comm) state ...'");
    }
    int pid = Parse.unsignedInt(s.substring(0, open), 1, "pid");
    String comm = s.substring(open + 2, close);
    List<String> rest = Parse.fields(s.substring(close + 1));
    // rest[0] is field 3 (state); field N is rest[N - 3].
    if (rest.size() < 20) {
      throw KernelFsException.malformed(1, abbreviate(s), "expected at least 22 fields");
    }
    String state = rest.get(0);
    if (state.length() != 1) {
      throw KernelFsException.malformed(1, state, "state must be one character");
    }
    int ppid = Parse.unsignedInt(rest.get(1), 1, "ppid");
    long flags = Parse.unsigned(rest.get(6), 1, "flags");
    long start = Parse.unsigned(rest.get(19), 1, "starttime");
    return new ProcStat(pid, comm, state.charAt(0), ppid, flags, start);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) : s;
  }

  static ProcStatus procStatus(String text) {
    Map<String, String> kv = new HashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw KernelFsException.malformed(i + 1, line, "expected 'Key: value'");
      }
      String key = line.substring(0, colon);
      kv.put(key, line.substring(colon + 1).strip());
      lineOf.put(key, i + 1);
    }
    String name = require(kv, "Name");
    int tgid = Parse.unsignedInt(require(kv, "Tgid"), lineOf.get("Tgid"), "Tgid");
    int ppid = Parse.unsignedInt(require(kv, "PPid"), lineOf.get("PPid"), "PPid");
    OptionalLong rss = OptionalLong.empty();
    if (kv.containsKey("VmRSS")) {
      rss = OptionalLong.of(kb(kv.get("VmRSS"), lineOf.get("VmRSS"), "VmRSS"));
    }
    NodeSet mems;
    if (kv.containsKey("Mems_allowed_list")) {
      mems = list(kv, lineOf, "Mems_allowed_list", true);
    } else if (kv.containsKey("Mems_allowed")) {
      mems = mask(kv, lineOf, "Mems_allowed");
    } else {
      throw KernelFsException.malformed(0, "Mems_allowed_list", "missing key");
    }
    CpuList cpus;
    String cpuText = require(kv, "Cpus_allowed_list");
    try {
      cpus = CpuList.parse(cpuText);
    } catch (MalformedValueException e) {
      throw KernelFsException.malformed(
          lineOf.get("Cpus_allowed_list"), cpuText, "Cpus_allowed_list: " + e.detail());
    }
    boolean kthread;
    if (kv.containsKey("Kthread")) {
      kthread = "1".equals(kv.get("Kthread"));
    } else {
      kthread = !kv.containsKey("VmSize");
    }
    return new ProcStatus(name, tgid, ppid, rss, mems, cpus, kthread);
  }

  private static NodeSet list(
      Map<String, String> kv, Map<String, Integer> lineOf, String key, boolean list) {
    String v = kv.get(key);
    try {
      return list ? NodeSet.parse(v) : NodeSet.parseMask(v);
    } catch (MalformedValueException e) {
      throw KernelFsException.malformed(lineOf.get(key), v, key + ": " + e.detail());
    }
  }

  private static NodeSet mask(Map<String, String> kv, Map<String, Integer> lineOf, String key) {
    return list(kv, lineOf, key, false);
  }

  private static long kb(String value, int line, String key) {
    List<String> f = Parse.fields(value);
    if (f.size() != 2 || !f.get(1).equals("kB")) {
      throw KernelFsException.malformed(line, value, key + ": expected '<n> kB'");
    }
    return Math.multiplyExact(Parse.unsigned(f.get(0), line, key), 1024L);
  }

  private static String require(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) {
      throw KernelFsException.malformed(0, key, "missing key");
    }
    return v;
  }
}
