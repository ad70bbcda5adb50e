package tierd.heat.damon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;

/**
 * A DAMON sysfs tree on disk (under a test's temporary root) whose "kernel side" reacts to writes
 * the way mm/damon/sysfs.c does: {@code nr_*} writes remove and recreate the child directories with
 * default values (EBUSY for {@code nr_kdamonds} while any kdamond runs), {@code state} commands
 * start and stop a simulated kdamond, validate its inputs (EINVAL for a dead target pid, bad
 * intervals...), and {@code update_schemes_tried_regions} fills {@code tried_regions/<N>} from a
 * scripted workload, applying each scheme's access pattern and DAMOS target filters.
 *
 * <p>Reads go to the files, so the production reading code ({@link KernelFiles}) runs unchanged.
 * Which optional files exist is chosen with {@link Feature}s, to emulate older kernels. Errors are
 * produced the way the real implementation sees them: an IOException with the errno text, run
 * through {@link KernelFiles#classify}.
 */
public final class FakeDamonKernel implements DamonFs {

  /** Optional parts of the interface, by the kernel version that added them. */
  public enum Feature {
    AVAIL_OPERATIONS, // 5.19
    TRIED_REGIONS, // 6.2
    FILTERS, // 6.3
    TARGET_FILTER, // 6.6
    APPLY_INTERVAL, // 6.7
    ALLOW, // 6.14
    CORE_FILTERS, // 6.15
    INTERVALS_GOAL, // 6.15
    ADDR_UNIT // 6.18
  }

  /** Everything a 6.12 kernel (the VM guest) has. */
  public static final Set<Feature> LINUX_6_12 =
      EnumSet.of(
          Feature.AVAIL_OPERATIONS,
          Feature.TRIED_REGIONS,
          Feature.FILTERS,
          Feature.TARGET_FILTER,
          Feature.APPLY_INTERVAL);

  /** A scripted region: what DAMON would report for it. */
  public record Region(long start, long end, long nrAccesses, long age) {}

  private record Filter(String type, int targetIdx, boolean matching, boolean allow) {}

  private record Scheme(String action, long[] sz, long[] nr, long[] age, List<Filter> filters) {}

  private record Committed(String ops, List<Integer> pids, List<Scheme> schemes) {}

  private static final Pattern KDAMOND = Pattern.compile("kdamonds/(\\d+)/(.*)");
  private static final Set<String> ACTIONS =
      Set.of(
          "willneed",
          "cold",
          "pageout",
          "hugepage",
          "nohugepage",
          "lru_prio",
          "lru_deprio",
          "migrate_hot",
          "migrate_cold",
          "stat");
  private static final Set<String> FILTER_TYPES =
      Set.of("anon", "active", "memcg", "young", "hugepage_size", "unmapped", "addr", "target");
  private static final Set<String> READ_ONLY =
      Set.of(
          "avail_operations",
          "pid",
          "nr_tried",
          "sz_tried",
          "nr_applied",
          "sz_applied",
          "qt_exceeds",
          "effective_bytes",
          "total_bytes",
          "current_value");

  private final Path base;
  private final Path proc;
  private final Path modules;
  private final Set<Feature> features;
  private final Set<String> availOperations =
      new LinkedHashSet<>(List.of("vaddr", "fvaddr", "paddr"));
  private final Set<Integer> live = new HashSet<>();
  private final Map<Integer, List<Region>> virtual = new HashMap<>();
  private final List<Region> physical = new ArrayList<>();
  private final Map<Integer, Committed> running = new HashMap<>();
  private final Set<Integer> everStarted = new HashSet<>();
  private final List<String> writeLog = new ArrayList<>();
  private boolean commitFailureStops;
  private int busyWrites;
  private int nextKthreadPid = 900;
  private int updates;
  private Runnable beforeNextState;
  private long[] tunedIntervals;

  /**
   * A fake kernel whose DAMON tree lives under {@code <dir>/sys} and whose processes appear as
   * {@code <dir>/proc/<pid>/stat}, i.e. {@code KernelRoot.under(dir)}.
   */
  public FakeDamonKernel(Path dir, Set<Feature> features) {
    this.base = dir.resolve("sys").resolve(SysfsDamonFs.ADMIN);
    this.proc = dir.resolve("proc");
    this.modules = dir.resolve("sys/module");
    this.features = EnumSet.noneOf(Feature.class);
    this.features.addAll(features);
    put("kdamonds/nr_kdamonds", "0");
  }

  // ------------------------------------------------------------------ test controls

  public FakeDamonKernel availOperations(String... ops) {
    availOperations.clear();
    availOperations.addAll(List.of(ops));
    return this;
  }

  /** Before 6.11 a failed {@code commit} terminated the kdamond. */
  public FakeDamonKernel commitFailureStops(boolean b) {
    commitFailureStops = b;
    return this;
  }

  /**
   * What the kernel's intervals_goal tuning has reached: the next {@code update_tuned_intervals}
   * writes these to {@code sample_us} and {@code aggr_us}.
   */
  public void tuneIntervals(long sampleUs, long aggrUs) {
    tunedIntervals = new long[] {sampleUs, aggrUs};
  }

  /** The next {@code n} writes fail with EBUSY, as if another writer held damon_sysfs_lock. */
  public void holdLockForWrites(int n) {
    busyWrites = n;
  }

  /** A live process, with a {@code proc/<pid>/stat} file. */
  public void spawn(int pid) {
    live.add(pid);
    writeStat(proc, pid, 1000 + pid);
  }

  /** Writes a real-shaped {@code proc/<pid>/stat} (comm "w", state S, start time as given). */
  public static void writeStat(Path proc, int pid, long startTicks) {
    try {
      Files.createDirectories(proc.resolve(Integer.toString(pid)));
      Files.writeString(
          proc.resolve(pid + "/stat"),
          pid
              + " (w) S 1 "
              + pid
              + " "
              + pid
              + " 0 -1 4194304 100 0 0 0 1 1 0 0 20 0 1 0 "
              + startTicks
              + " 10000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A kernel DAMON module (DAMON_RECLAIM, DAMON_LRU_SORT) is enabled ({@code kdamondPid} > 0) or
   * disabled (-1): {@code <sys>/module/<module>/parameters/kdamond_pid}, outside the admin tree.
   * Its context runs exclusively, so {@code state on} fails with EBUSY while it runs.
   */
  public void moduleKdamond(String module, int kdamondPid) {
    try {
      Path params = modules.resolve(module).resolve("parameters");
      Files.createDirectories(params);
      Files.writeString(params.resolve("kdamond_pid"), kdamondPid + "\n");
      Files.writeString(params.resolve("enabled"), kdamondPid > 0 ? "Y\n" : "N\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean moduleRunning() {
    if (!Files.isDirectory(modules)) {
      return false;
    }
    try (Stream<Path> all = Files.list(modules)) {
      return all.map(m -> m.resolve("parameters/kdamond_pid"))
          .filter(Files::exists)
          .anyMatch(f -> !fileText(f).strip().equals("-1"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fileText(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code r} just before the next {@code state} write is handled (to stage races). */
  public void beforeNextStateWrite(Runnable r) {
    beforeNextState = r;
  }

  /** The process exits; a kdamond whose every target is gone stops (kdamond_need_stop). */
  public void exit(int pid) {
    live.remove(pid);
    try {
      Path d = proc.resolve(Integer.toString(pid));
      if (Files.exists(d)) {
        deleteTree(d);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (var e : new ArrayList<>(running.entrySet())) {
      Committed c = e.getValue();
      if (isVirtual(c.ops()) && c.pids().stream().noneMatch(live::contains)) {
        stop(e.getKey());
      }
    }
  }

  public void script(int pid, Region... regions) {
    virtual.put(pid, List.of(regions));
  }

  public void scriptPhysical(Region... regions) {
    physical.clear();
    physical.addAll(List.of(regions));
  }

  public List<String> writeLog() {
    return List.copyOf(writeLog);
  }

  public void clearWriteLog() {
    writeLog.clear();
  }

  /** How many update_schemes_tried_regions commands were handled. */
  public int triedRegionUpdates() {
    return updates;
  }

  public boolean isRunning(int kdamond) {
    return running.containsKey(kdamond);
  }

  /**
   * A foreign user's kdamond: nr_kdamonds 1, paddr over [0, 1 GiB), one {@code action} scheme,
   * turned on if {@code on}. Written through the port like any user; the write log is cleared.
   */
  public void foreignPaddr(String action, boolean on) {
    write("kdamonds/nr_kdamonds", "1");
    write("kdamonds/0/contexts/nr_contexts", "1");
    String c = "kdamonds/0/contexts/0/";
    write(c + "operations", "paddr");
    write(c + "targets/nr_targets", "1");
    write(c + "targets/0/regions/nr_regions", "1");
    write(c + "targets/0/regions/0/start", "0");
    write(c + "targets/0/regions/0/end", Long.toString(1L << 30));
    write(c + "schemes/nr_schemes", "1");
    write(c + "schemes/0/action", action);
    if (on) {
      write("kdamonds/0/state", "on");
    }
    clearWriteLog();
  }

  /** A foreign vaddr kdamond on {@code pid} with one stat scheme. */
  public void foreignVaddr(int pid, boolean on) {
    write("kdamonds/nr_kdamonds", "1");
    write("kdamonds/0/contexts/nr_contexts", "1");
    String c = "kdamonds/0/contexts/0/";
    write(c + "operations", "vaddr");
    write(c + "targets/nr_targets", "1");
    write(c + "targets/0/pid_target", Integer.toString(pid));
    write(c + "schemes/nr_schemes", "1");
    if (on) {
      write("kdamonds/0/state", "on");
    }
    clearWriteLog();
  }

  /** Every file under the tree with its content, for before/after comparisons. */
  public Map<String, String> snapshot() {
    Map<String, String> out = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(base)) {
      s.filter(Files::isRegularFile)
          .forEach(p -> out.put(base.relativize(p).toString(), KernelFiles.read(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  // ------------------------------------------------------------------ DamonFs

  @Override
  public String read(String relative) {
    return KernelFiles.readLine(path(relative));
  }

  @Override
  public List<String> list(String relative) {
    return KernelFiles.list(path(relative));
  }

  @Override
  public boolean exists(String relative) {
    return Files.exists(path(relative));
  }

  @Override
  public Path path(String relative) {
    return relative.isEmpty() ? base : base.resolve(relative);
  }

  @Override
  public void write(String relative, String value) {
    Path p = path(relative);
    if (!Files.isRegularFile(p)) {
      throw KernelFiles.classify(p, new java.nio.file.NoSuchFileException(p.toString()));
    }
    if (READ_ONLY.contains(p.getFileName().toString()) || relative.contains("/tried_regions/")) {
      throw KernelFiles.classify(p, new AccessDeniedException(p.toString()));
    }
    if (busyWrites > 0) {
      busyWrites--;
      throw errno(p, "Device or resource busy");
    }
    writeLog.add(relative + "=" + value);
    String v = value.strip();
    String name = p.getFileName().toString();
    if (relative.equals("kdamonds/nr_kdamonds")) {
      int nr = count(p, v);
      if (!running.isEmpty()) {
        throw errno(p, "Device or resource busy");
      }
      removeChildren("kdamonds");
      everStarted.clear();
      for (int k = 0; k < nr; k++) {
        mkKdamond("kdamonds/" + k + "/");
      }
      put(relative, Integer.toString(nr));
      return;
    }
    Matcher m = KDAMOND.matcher(relative);
    if (!m.matches()) {
      throw errno(p, "Invalid argument");
    }
    int k = Integer.parseInt(m.group(1));
    String rest = m.group(2);
    String kdir = "kdamonds/" + k + "/";
    if (rest.equals("state")) {
      Runnable r = beforeNextState;
      beforeNextState = null;
      if (r != null) {
        r.run();
      }
      state(k, kdir, v, p);
      return;
    }
    if (rest.equals("contexts/nr_contexts")) {
      int nr = count(p, v);
      if (nr > 1) {
        throw errno(p, "Invalid argument");
      }
      removeChildren(kdir + "contexts");
      if (nr == 1) {
        mkContext(kdir + "contexts/0/");
      }
      put(relative, v);
      return;
    }
    String dir = relative.substring(0, relative.length() - name.length());
    switch (name) {
      case "nr_targets" -> {
        int nr = count(p, v);
        removeChildren(dir);
        for (int i = 0; i < nr; i++) {
          mkTarget(dir + i + "/");
        }
      }
      case "nr_regions" -> {
        if (dir.endsWith("monitoring_attrs/nr_regions/")) {
          throw errno(p, "Invalid argument");
        }
        int nr = count(p, v);
        removeChildren(dir);
        for (int i = 0; i < nr; i++) {
          put(dir + i + "/start", "0");
          put(dir + i + "/end", "0");
        }
      }
      case "nr_schemes" -> {
        int nr = count(p, v);
        removeChildren(dir);
        for (int i = 0; i < nr; i++) {
          mkScheme(dir + i + "/");
        }
      }
      case "nr_filters" -> {
        int nr = count(p, v);
        removeChildren(dir);
        for (int i = 0; i < nr; i++) {
          mkFilter(dir + i + "/");
        }
      }
      case "operations" -> {
        if (!Set.of("vaddr", "fvaddr", "paddr").contains(v)) {
          throw errno(p, "Invalid argument");
        }
      }
      case "action" -> {
        if (!ACTIONS.contains(v)) {
          throw errno(p, "Invalid argument");
        }
      }
      case "type" -> {
        if (!FILTER_TYPES.contains(v)) {
          throw errno(p, "Invalid argument");
        }
      }
      case "matching", "allow" -> {
        if (!Set.of("Y", "N", "y", "n", "1", "0").contains(v)) {
          throw errno(p, "Invalid argument");
        }
      }
      case "memcg_path", "metric" -> {}
      default -> {
        if (!v.matches("-?[0-9]+") || (v.startsWith("-") && !name.equals("target_nid"))) {
          throw errno(p, "Invalid argument");
        }
      }
    }
    put(relative, v);
  }

  // ------------------------------------------------------------------ state commands

  private void state(int k, String kdir, String cmd, Path p) {
    switch (cmd) {
      case "on" -> {
        if (running.containsKey(k) || moduleRunning()) {
          throw errno(p, "Device or resource busy");
        }
        Committed c = build(kdir, p);
        running.put(k, c);
        everStarted.add(k);
        put(kdir + "state", "on");
        put(kdir + "pid", Integer.toString(nextKthreadPid++));
      }
      case "off" -> {
        if (!running.containsKey(k)) {
          throw errno(p, everStarted.contains(k) ? "Operation not permitted" : "Invalid argument");
        }
        stop(k);
      }
      case "commit" -> {
        if (!running.containsKey(k)) {
          throw errno(p, "Invalid argument");
        }
        try {
          running.put(k, build(kdir, p));
        } catch (KernelFsException e) {
          if (commitFailureStops) {
            stop(k);
          }
          throw e;
        }
      }
      case "update_schemes_tried_regions" -> {
        if (!running.containsKey(k)) {
          throw errno(p, "Invalid argument");
        }
        updates++;
        fillTriedRegions(kdir + "contexts/0/", running.get(k));
      }
      case "clear_schemes_tried_regions" -> {
        String schemes = kdir + "contexts/0/schemes/";
        int ns = count(path(schemes + "nr_schemes"), read(schemes + "nr_schemes"));
        for (int s = 0; s < ns; s++) {
          removeNumbered(schemes + s + "/tried_regions");
        }
      }
      case "update_tuned_intervals" -> {
        if (!features.contains(Feature.INTERVALS_GOAL) || !running.containsKey(k)) {
          throw errno(p, "Invalid argument");
        }
        if (tunedIntervals != null) {
          String iv = kdir + "contexts/0/monitoring_attrs/intervals/";
          put(iv + "sample_us", Long.toString(tunedIntervals[0]));
          put(iv + "aggr_us", Long.toString(tunedIntervals[1]));
        }
      }
      case "update_schemes_stats", "update_schemes_tried_bytes" -> {
        if (!running.containsKey(k)) {
          throw errno(p, "Invalid argument");
        }
      }
      default -> throw errno(p, "Invalid argument");
    }
  }

  private void stop(int k) {
    running.remove(k);
    put("kdamonds/" + k + "/state", "off");
    put("kdamonds/" + k + "/pid", "-1");
  }

  /** Checks the sysfs inputs as damon_sysfs_build_ctx / damon_set_attrs would. */
  private Committed build(String kdir, Path p) {
    if (!read(kdir + "contexts/nr_contexts").equals("1")) {
      throw errno(p, "Invalid argument");
    }
    String c = kdir + "contexts/0/";
    String ops = read(c + "operations");
    if (!availOperations.contains(ops)) {
      throw errno(p, "Invalid argument");
    }
    String a = c + "monitoring_attrs/";
    long sample = num(a + "intervals/sample_us");
    long aggr = num(a + "intervals/aggr_us");
    long min = num(a + "nr_regions/min");
    long max = num(a + "nr_regions/max");
    if (min < 3 || min > max || sample > aggr) {
      throw errno(p, "Invalid argument");
    }
    int nt = (int) num(c + "targets/nr_targets");
    if (ops.equals("paddr") && nt > 1) {
      throw errno(p, "Invalid argument");
    }
    List<Integer> pids = new ArrayList<>();
    for (int t = 0; t < nt; t++) {
      String tdir = c + "targets/" + t + "/";
      int pid = (int) num(tdir + "pid_target");
      if (isVirtual(ops) && !live.contains(pid)) {
        throw errno(p, "Invalid argument");
      }
      pids.add(pid);
      int nr = (int) num(tdir + "regions/nr_regions");
      long prevEnd = 0;
      for (int r = 0; r < nr; r++) {
        long s = num(tdir + "regions/" + r + "/start");
        long e = num(tdir + "regions/" + r + "/end");
        if (s > e || s < prevEnd) {
          throw errno(p, "Invalid argument");
        }
        prevEnd = e;
      }
    }
    List<Scheme> schemes = new ArrayList<>();
    int ns = (int) num(c + "schemes/nr_schemes");
    for (int s = 0; s < ns; s++) {
      String sd = c + "schemes/" + s + "/";
      List<Filter> filters = new ArrayList<>();
      for (String fd : List.of("filters", "core_filters", "ops_filters")) {
        if (!exists(sd + fd + "/nr_filters")) {
          continue;
        }
        int nf = (int) num(sd + fd + "/nr_filters");
        for (int f = 0; f < nf; f++) {
          String ff = sd + fd + "/" + f + "/";
          filters.add(
              new Filter(
                  read(ff + "type"),
                  exists(ff + "damon_target_idx") ? (int) num(ff + "damon_target_idx") : 0,
                  bool(read(ff + "matching")),
                  exists(ff + "allow") && bool(read(ff + "allow"))));
        }
      }
      schemes.add(
          new Scheme(
              read(sd + "action"),
              range(sd + "access_pattern/sz/"),
              range(sd + "access_pattern/nr_accesses/"),
              range(sd + "access_pattern/age/"),
              filters));
    }
    return new Committed(ops, pids, schemes);
  }

  private void fillTriedRegions(String ctx, Committed c) {
    int sysfsSchemes = (int) num(ctx + "schemes/nr_schemes");
    for (int s = 0; s < c.schemes().size() && s < sysfsSchemes; s++) {
      Scheme scheme = c.schemes().get(s);
      String dir = ctx + "schemes/" + s + "/tried_regions";
      if (!exists(dir)) {
        continue;
      }
      removeNumbered(dir);
      int n = 0;
      long total = 0;
      for (int t = 0; t < c.pids().size(); t++) {
        List<Region> regions =
            isVirtual(c.ops()) ? virtual.getOrDefault(c.pids().get(t), List.of()) : physical;
        if (isVirtual(c.ops()) && !live.contains(c.pids().get(t))) {
          continue;
        }
        for (Region r : regions) {
          if (!matches(scheme, t, r)) {
            continue;
          }
          String rd = dir + "/" + n++ + "/";
          put(rd + "start", Long.toUnsignedString(r.start()));
          put(rd + "end", Long.toUnsignedString(r.end()));
          put(rd + "nr_accesses", Long.toString(r.nrAccesses()));
          put(rd + "age", Long.toString(r.age()));
          if (features.contains(Feature.ALLOW)) {
            put(rd + "sz_filter_passed", "0");
          }
          total += r.end() - r.start();
        }
      }
      put(dir + "/total_bytes", Long.toString(total));
    }
  }

  /** damos_valid_target + the core filters (only "target" is simulated). */
  private static boolean matches(Scheme s, int targetIdx, Region r) {
    long sz = r.end() - r.start();
    if (!in(sz, s.sz()) || !in(r.nrAccesses(), s.nr()) || !in(r.age(), s.age())) {
      return false;
    }
    for (Filter f : s.filters()) {
      boolean cond = f.type().equals("target") && f.targetIdx() == targetIdx;
      if (cond == f.matching()) {
        return f.allow();
      }
    }
    return s.filters().isEmpty() || !s.filters().get(s.filters().size() - 1).allow();
  }

  private static boolean in(long v, long[] minMax) {
    return Long.compareUnsigned(v, minMax[0]) >= 0 && Long.compareUnsigned(v, minMax[1]) <= 0;
  }

  // ------------------------------------------------------------------ directory builders

  private void mkKdamond(String d) {
    put(d + "state", "off");
    put(d + "pid", "-1");
    put(d + "contexts/nr_contexts", "0");
  }

  private void mkContext(String d) {
    if (features.contains(Feature.AVAIL_OPERATIONS)) {
      put(d + "avail_operations", String.join("\n", availOperations) + "\n");
    }
    put(d + "operations", "vaddr");
    if (features.contains(Feature.ADDR_UNIT)) {
      put(d + "addr_unit", "1");
    }
    put(d + "monitoring_attrs/intervals/sample_us", "5000");
    put(d + "monitoring_attrs/intervals/aggr_us", "100000");
    put(d + "monitoring_attrs/intervals/update_us", "60000000");
    if (features.contains(Feature.INTERVALS_GOAL)) {
      String g = d + "monitoring_attrs/intervals/intervals_goal/";
      put(g + "access_bp", "0");
      put(g + "aggrs", "0");
      put(g + "min_sample_us", "0");
      put(g + "max_sample_us", "0");
    }
    put(d + "monitoring_attrs/nr_regions/min", "10");
    put(d + "monitoring_attrs/nr_regions/max", "1000");
    put(d + "targets/nr_targets", "0");
    put(d + "schemes/nr_schemes", "0");
  }

  private void mkTarget(String d) {
    put(d + "pid_target", "0");
    put(d + "regions/nr_regions", "0");
  }

  private void mkScheme(String d) {
    put(d + "action", "stat");
    if (features.contains(Feature.APPLY_INTERVAL)) {
      put(d + "apply_interval_us", "0");
    }
    put(d + "target_nid", "-1");
    for (String a : List.of("sz", "nr_accesses", "age")) {
      put(d + "access_pattern/" + a + "/min", "0");
      put(d + "access_pattern/" + a + "/max", "0");
    }
    put(d + "quotas/ms", "0");
    put(d + "quotas/bytes", "0");
    put(d + "quotas/reset_interval_ms", "0");
    put(d + "quotas/weights/sz_permil", "0");
    put(d + "quotas/weights/nr_accesses_permil", "0");
    put(d + "quotas/weights/age_permil", "0");
    put(d + "watermarks/metric", "none");
    for (String w : List.of("interval_us", "high", "mid", "low")) {
      put(d + "watermarks/" + w, "0");
    }
    if (features.contains(Feature.FILTERS)) {
      put(d + "filters/nr_filters", "0");
    }
    if (features.contains(Feature.CORE_FILTERS)) {
      put(d + "core_filters/nr_filters", "0");
      put(d + "ops_filters/nr_filters", "0");
    }
    for (String st : List.of("nr_tried", "sz_tried", "nr_applied", "sz_applied", "qt_exceeds")) {
      put(d + "stats/" + st, "0");
    }
    if (features.contains(Feature.TRIED_REGIONS)) {
      put(d + "tried_regions/total_bytes", "0");
    }
  }

  private void mkFilter(String d) {
    put(d + "type", "anon");
    put(d + "matching", "N");
    if (features.contains(Feature.ALLOW)) {
      put(d + "allow", "N");
    }
    put(d + "memcg_path", "");
    put(d + "addr_start", "0");
    put(d + "addr_end", "0");
    if (features.contains(Feature.TARGET_FILTER)) {
      put(d + "damon_target_idx", "0");
    }
  }

  // ------------------------------------------------------------------ helpers

  private static boolean isVirtual(String ops) {
    return ops.equals("vaddr") || ops.equals("fvaddr");
  }

  private static boolean bool(String v) {
    return v.equals("Y") || v.equals("y") || v.equals("1");
  }

  private long[] range(String dir) {
    return new long[] {
      Long.parseUnsignedLong(read(dir + "min")), Long.parseUnsignedLong(read(dir + "max"))
    };
  }

  private long num(String rel) {
    return Long.parseLong(read(rel));
  }

  private int count(Path p, String v) {
    if (!v.matches("[0-9]+")) {
      throw errno(p, v.startsWith("-") ? "Invalid argument" : "Invalid argument");
    }
    return Integer.parseInt(v);
  }

  private void put(String rel, String content) {
    Path p = path(rel);
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, content.endsWith("\n") || content.isEmpty() ? content : content + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the numbered subdirectories of {@code dir} (kernel: *_rm_dirs). */
  private void removeChildren(String dir) {
    removeNumbered(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
  }

  private void removeNumbered(String dir) {
    Path d = path(dir);
    if (!Files.isDirectory(d)) {
      return;
    }
    try (Stream<Path> s = Files.list(d)) {
      for (Path child : s.toList()) {
        if (Files.isDirectory(child) && child.getFileName().toString().matches("[0-9]+")) {
          deleteTree(child);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  private static KernelFsException errno(Path p, String text) {
    return KernelFiles.classify(p, new FileSystemException(p.toString(), null, text));
  }
}
