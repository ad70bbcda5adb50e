package tierd.source.proc;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * {@code /proc/vmstat} (and per-node {@code nodeN/vmstat}): {@code name value} lines (mm/vmstat.c
 * {@code vmstat_text[]}). tierd keeps the counters that describe tiering and migration: {@code
 * pgpromote_*}, {@code pgdemote_*}, {@code pgmigrate_*}, {@code numa_*}, {@code pgsteal_*}/{@code
 * pgscan_*} are left out.
 */
public record Vmstat(Map<String, Long> counters) {

  public Vmstat {
    counters = Collections.unmodifiableMap(new TreeMap<>(counters));
  }

  /** True for the counters that matter to a tiering daemon. */
  public static boolean isTieringCounter(String name) {
    return name.startsWith("pgpromote_")
        || name.startsWith("pgdemote_")
        || name.startsWith("pgmigrate_")
        || name.startsWith("numa_")
        || name.startsWith("thp_migration_")
        || name.startsWith("nr_promoted")
        || name.startsWith("pgdemote");
  }

  public long get(String name) {
    Long v = counters.get(name);
    if (v == null) {
      throw new IllegalArgumentException("vmstat has no counter " + name);
    }
    return v;
  }

  public static Vmstat read(KernelRoot root) {
    var path = root.proc("vmstat");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  /** Parses every counter, then keeps only the tiering ones. */
  public static Vmstat parse(String text) {
    Map<String, Long> out = new TreeMap<>();
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      List<String> f = Parse.fields(line);
      if (f.size() != 2) {
        throw KernelFsException.malformed(i + 1, line, "expected 'name value'");
      }
      long v = Parse.signed(f.get(1), i + 1, f.get(0));
      if (isTieringCounter(f.get(0))) {
        out.put(f.get(0), v);
      }
    }
    return new Vmstat(out);
  }
}
