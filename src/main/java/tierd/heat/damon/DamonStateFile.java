package tierd.heat.damon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.Parse;
import tierd.model.ProcessId;

/**
 * What tierd created in DAMON, kept in {@code <runtimeDir>/damon.state} so that the next start
 * after a crash can remove it — and only it. Written before tierd's first DAMON write (phase {@code
 * creating}) and rewritten as the kdamond takes shape, always atomically (temp file + rename).
 *
 * <p>Format: {@code key=value} lines; unknown keys are ignored so that newer tierd versions can add
 * some. The configuration values are the fingerprint by which a leftover kdamond is recognised as
 * tierd's: the kernel has no owner field, so a kdamond whose operations, intervals and region
 * bounds differ from the record, or whose thread pid changed, is not tierd's any more. The sampling
 * interval is tuned while the kdamond runs (by tierd, or by the kernel's {@code intervals_goal}),
 * so the record keeps its bounds: a sampling interval inside {@code [min_sample_us, max_sample_us]}
 * with the recorded ratio {@code aggr_us / sample_us} is tierd's. A file written before the bounds
 * existed has none, and pins the interval to {@code sample_us}.
 */
public record DamonStateFile(
    ProcessId owner,
    Phase phase,
    int kdamond,
    String operations,
    long sampleUs,
    long aggrUs,
    long updateUs,
    long minRegions,
    long maxRegions,
    int kthreadPid,
    long minSampleUs,
    long maxSampleUs) {

  public static final String FILE_NAME = "damon.state";
  public static final int VERSION = 1;

  /** How far creation got. */
  public enum Phase {
    /** About to write nr_kdamonds; the kdamond may exist, unconfigured. */
    CREATING,
    /** The context is configured (maybe on). */
    CONFIGURED;

    static Phase parse(String s) {
      return switch (s) {
        case "creating" -> CREATING;
        case "configured" -> CONFIGURED;
        default ->
            throw KernelFsException.malformed(0, s, "phase: expected creating or configured");
      };
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A record whose sampling interval is pinned ({@code min = max = sampleUs}). */
  public DamonStateFile(
      ProcessId owner,
      Phase phase,
      int kdamond,
      String operations,
      long sampleUs,
      long aggrUs,
      long updateUs,
      long minRegions,
      long maxRegions,
      int kthreadPid) {
    this(
        owner,
        phase,
        kdamond,
        operations,
        sampleUs,
        aggrUs,
        updateUs,
        minRegions,
        maxRegions,
        kthreadPid,
        sampleUs,
        sampleUs);
  }

  /** What tierd records before it creates kdamond 0 with {@code operations} and {@code config}. */
  static DamonStateFile creating(ProcessId owner, String operations, DamonConfig config) {
    return new DamonStateFile(
        owner,
        Phase.CREATING,
        0,
        operations,
        config.sampleUs(),
        config.aggrUs(),
        config.updateUs(),
        config.minRegions(),
        config.maxRegions(),
        -1,
        config.minSampleUs(),
        config.maxSampleUs());
  }

  public DamonStateFile withPhase(Phase p) {
    return new DamonStateFile(
        owner,
        p,
        kdamond,
        operations,
        sampleUs,
        aggrUs,
        updateUs,
        minRegions,
        maxRegions,
        kthreadPid,
        minSampleUs,
        maxSampleUs);
  }

  public DamonStateFile withKthreadPid(int pid) {
    return new DamonStateFile(
        owner,
        phase,
        kdamond,
        operations,
        sampleUs,
        aggrUs,
        updateUs,
        minRegions,
        maxRegions,
        pid,
        minSampleUs,
        maxSampleUs);
  }

  /** Sampling intervals per aggregation interval, which tuning keeps. */
  public long aggrSamples() {
    return Math.max(1, aggrUs / Math.max(1, sampleUs));
  }

  /**
   * True when a kdamond's intervals are ones this record allows: the sampling interval within the
   * bounds and the aggregation interval at the recorded ratio.
   */
  public boolean allowsIntervals(long sampleUsNow, long aggrUsNow) {
    if (minSampleUs == maxSampleUs) {
      return sampleUsNow == sampleUs && aggrUsNow == aggrUs;
    }
    return sampleUsNow >= minSampleUs
        && sampleUsNow <= maxSampleUs
        && aggrUsNow == sampleUsNow * aggrSamples();
  }

  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append("# tierd: the DAMON kdamond this tierd created; removed on clean stop\n");
    sb.append("version=").append(VERSION).append('\n');
    sb.append("owner_pid=").append(owner.pid()).append('\n');
    sb.append("owner_start_ticks=").append(owner.startTimeTicks()).append('\n');
    sb.append("phase=").append(phase.label()).append('\n');
    sb.append("kdamond=").append(kdamond).append('\n');
    sb.append("operations=").append(operations).append('\n');
    sb.append("sample_us=").append(sampleUs).append('\n');
    sb.append("aggr_us=").append(aggrUs).append('\n');
    sb.append("update_us=").append(updateUs).append('\n');
    sb.append("min_nr_regions=").append(minRegions).append('\n');
    sb.append("max_nr_regions=").append(maxRegions).append('\n');
    sb.append("kthread_pid=").append(kthreadPid).append('\n');
    sb.append("min_sample_us=").append(minSampleUs).append('\n');
    sb.append("max_sample_us=").append(maxSampleUs).append('\n');
    return sb.toString();
  }

  public static DamonStateFile parse(String text) {
    Map<String, String> kv = new LinkedHashMap<>();
    var lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw KernelFsException.malformed(i + 1, line, "expected key=value");
      }
      kv.put(line.substring(0, eq), line.substring(eq + 1));
    }
    long version = num(kv, "version");
    if (version != VERSION) {
      throw KernelFsException.malformed(0, Long.toString(version), "unsupported state version");
    }
    ProcessId owner;
    try {
      owner = new ProcessId(Math.toIntExact(num(kv, "owner_pid")), num(kv, "owner_start_ticks"));
    } catch (IllegalArgumentException e) {
      throw KernelFsException.malformed(0, kv.get("owner_pid"), "owner: " + e.getMessage());
    }
    return new DamonStateFile(
        owner,
        Phase.parse(req(kv, "phase")),
        Math.toIntExact(num(kv, "kdamond")),
        req(kv, "operations"),
        num(kv, "sample_us"),
        num(kv, "aggr_us"),
        num(kv, "update_us"),
        num(kv, "min_nr_regions"),
        num(kv, "max_nr_regions"),
        DamonStatus.parsePid(req(kv, "kthread_pid")),
        kv.containsKey("min_sample_us") ? num(kv, "min_sample_us") : num(kv, "sample_us"),
        kv.containsKey("max_sample_us") ? num(kv, "max_sample_us") : num(kv, "sample_us"));
  }

  public static Path path(Path runtimeDir) {
    return runtimeDir.resolve(FILE_NAME);
  }

  public static Optional<DamonStateFile> read(Path runtimeDir) {
    Path p = path(runtimeDir);
    try {
      return KernelFiles.readIfPresent(p).map(DamonStateFile::parse);
    } catch (KernelFsException e) {
      throw e.withFile(p);
    }
  }

  /** Writes atomically, creating the runtime directory (mode 0755) when needed. */
  public void write(Path runtimeDir) {
    Path p = path(runtimeDir);
    try {
      Files.createDirectories(runtimeDir);
      Path tmp = runtimeDir.resolve(FILE_NAME + ".tmp");
      Files.writeString(tmp, format(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw KernelFiles.classify(p, e);
    }
  }

  public static void delete(Path runtimeDir) {
    Path p = path(runtimeDir);
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw KernelFiles.classify(p, e);
    }
  }

  private static String req(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) {
      throw KernelFsException.malformed(0, key, "missing key");
    }
    return v;
  }

  private static long num(Map<String, String> kv, String key) {
    return Parse.unsigned(req(kv, key), 0, key);
  }
}
