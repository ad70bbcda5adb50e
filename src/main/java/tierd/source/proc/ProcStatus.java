package tierd.source.proc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;
import tierd.model.CpuList;
import tierd.model.MalformedValueException;
import tierd.model.NodeSet;

/**
 * {@code /proc/<pid>/status}: name, thread group, RSS and the allowed CPUs and memory nodes.
 *
 * <p>Format: {@code proc_pid_status()} in fs/proc/array.c; proc(5). Lines are {@code Key:\tvalue};
 * sizes are in kB (1024 bytes) and converted to bytes here. Kernel threads have no {@code VmSize}
 * or {@code VmRSS} lines (and set {@code Kthread: 1} since 6.x; the flag in /proc/PID/stat is the
 * authoritative test, see {@link ProcStat#isKernelThread()}).
 */
public record ProcStatus(
    String name,
    int tgid,
    int ppid,
    OptionalLong vmRssBytes,
    NodeSet memsAllowed,
    CpuList cpusAllowed,
    boolean kthread) {

  public static ProcStatus read(KernelRoot root, int pid) {
    var path = root.pid(pid, "status");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static ProcStatus parse(String text) {
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
      String key = wanted(line, colon);
      if (key == null) {
        continue; // ~45 of ~55 lines: checked for their colon, not kept
      }
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

  /** The keys {@link #parse} reads. */
  private static final String[] KEYS = {
    "Name",
    "Tgid",
    "PPid",
    "VmRSS",
    "VmSize",
    "Mems_allowed_list",
    "Mems_allowed",
    "Cpus_allowed_list",
    "Kthread"
  };

  /** The line's key if parse reads it (as a shared string), else null. */
  private static String wanted(String line, int colon) {
    for (String k : KEYS) {
      if (colon == k.length() && line.startsWith(k)) {
        return k;
      }
    }
    return null;
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
