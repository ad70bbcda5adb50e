package tierd.heat.damon;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * A read-only snapshot of the DAMON sysfs tree: which kdamonds exist, whether they run, and what
 * they do. Used to decide whether DAMON is free for tierd and to name the foreign user when it is
 * not. Reading never writes and never takes more than the sysfs files offer. With a {@link
 * KernelRoot} it also holds the kdamonds of the kernel's DAMON modules ({@link DamonModules}),
 * which the admin tree does not show and which keep every other kdamond from starting.
 *
 * <p>Files and their formats (mm/damon/sysfs.c, Documentation/admin-guide/mm/damon/usage.rst):
 * {@code kdamonds/nr_kdamonds} ({@code %d}), {@code kdamonds/<K>/state} ({@code on} or {@code
 * off}), {@code kdamonds/<K>/pid} ({@code %d}, -1 when no thread runs), {@code
 * contexts/<C>/avail_operations} (one name per line, 5.19+), {@code contexts/<C>/operations},
 * {@code targets/<T>/pid_target}, {@code schemes/<S>/action}.
 *
 * @param readable false when the tree exists but this user may not read it (it is root's, mode
 *     0600): DAMON is then unusable and its users unknown, and nothing else about it is known
 */
public record DamonStatus(
    boolean present,
    boolean readable,
    int nrKdamonds,
    List<Kdamond> kdamonds,
    List<DamonModules.ModuleKdamond> moduleKdamonds) {

  public DamonStatus {
    kdamonds = List.copyOf(kdamonds);
    moduleKdamonds = List.copyOf(moduleKdamonds);
  }

  /** A tree this user may read, with the kernel modules' kdamonds. */
  public DamonStatus(
      boolean present,
      int nrKdamonds,
      List<Kdamond> kdamonds,
      List<DamonModules.ModuleKdamond> moduleKdamonds) {
    this(present, true, nrKdamonds, kdamonds, moduleKdamonds);
  }

  /** A tree this user may read, alone (no module kdamonds). */
  public DamonStatus(boolean present, int nrKdamonds, List<Kdamond> kdamonds) {
    this(present, true, nrKdamonds, kdamonds, List.of());
  }

  /** The tree exists but this user may not read it (tierd runs unprivileged). */
  public static DamonStatus unreadable() {
    return new DamonStatus(true, false, 0, List.of(), List.of());
  }

  /** One kdamond directory. {@code operations} is empty when it has no context. */
  public record Kdamond(
      int index,
      boolean on,
      int kthreadPid,
      Optional<String> operations,
      Set<String> availOperations,
      List<Integer> targetPids,
      List<String> schemeActions) {

    public Kdamond {
      availOperations = Collections.unmodifiableSet(new LinkedHashSet<>(availOperations));
      targetPids = List.copyOf(targetPids);
      schemeActions = List.copyOf(schemeActions);
    }

    /** {@code paddr/pageout}, {@code vaddr/stat,stat}, {@code unconfigured}. */
    public String describe() {
      if (operations.isEmpty()) {
        return "unconfigured";
      }
      String actions = schemeActions.isEmpty() ? "no schemes" : String.join(",", schemeActions);
      return operations.get() + "/" + actions;
    }

    /** True for vaddr/fvaddr, whose targets are processes. */
    public boolean virtual() {
      return operations.map(o -> o.equals("vaddr") || o.equals("fvaddr")).orElse(false);
    }
  }

  /** The tree when DAMON sysfs is not built in ({@code CONFIG_DAMON_SYSFS=n}). */
  public static DamonStatus absent() {
    return new DamonStatus(false, 0, List.of());
  }

  public boolean anyRunning() {
    return kdamonds.stream().anyMatch(Kdamond::on);
  }

  /** The first running kdamond, else the first one, else empty. */
  public Optional<Kdamond> mostRelevant() {
    return kdamonds.stream()
        .filter(Kdamond::on)
        .findFirst()
        .or(() -> kdamonds.stream().findFirst());
  }

  /**
   * Why tierd cannot create its own kdamond, or empty when it can (no kdamond directory exists).
   * Growing {@code nr_kdamonds} removes and recreates every kdamond directory (see {@link
   * DamonSource}), so an existing kdamond blocks tierd even when it is off: its configuration would
   * be erased.
   */
  public Optional<String> busyReason() {
    if (!present) {
      return Optional.of("DAMON sysfs absent (CONFIG_DAMON_SYSFS off or kernel before 5.18)");
    }
    if (!readable) {
      return Optional.of("DAMON sysfs not readable by this user (root's)");
    }
    if (!moduleKdamonds.isEmpty()) {
      return Optional.of(moduleKdamonds.get(0).busyReason());
    }
    if (nrKdamonds == 0) {
      return Optional.empty();
    }
    Optional<Kdamond> k = mostRelevant();
    if (k.isEmpty()) {
      return Optional.of("DAMON busy (" + nrKdamonds + " foreign kdamonds, tree changing)");
    }
    Kdamond d = k.get();
    if (d.on()) {
      return Optional.of(
          "DAMON busy (foreign kdamond " + d.index() + " running " + d.describe() + ")");
    }
    return Optional.of(
        "DAMON busy (foreign kdamond "
            + d.index()
            + " off, configured "
            + d.describe()
            + "; writing nr_kdamonds would erase it)");
  }

  /** The admin tree, and the module kdamonds under {@code root}. */
  public static DamonStatus read(DamonFs fs, KernelRoot root) {
    DamonStatus tree = read(fs);
    return new DamonStatus(
        tree.present(),
        tree.readable(),
        tree.nrKdamonds(),
        tree.kdamonds(),
        DamonModules.read(root));
  }

  /** Reads the tree, retrying when a concurrent writer recreates directories under us. */
  public static DamonStatus read(DamonFs fs) {
    if (!fs.exists("kdamonds/nr_kdamonds")) {
      return absent();
    }
    KernelFsException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return readOnce(fs);
      } catch (KernelFsException e) {
        if (e.kind() == KernelFsException.Kind.PERMISSION) {
          return unreadable();
        }
        if (e.kind() != KernelFsException.Kind.ABSENT && !DamonErrors.busy(e)) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private static DamonStatus readOnce(DamonFs fs) {
    int nr = parseCount(fs.read("kdamonds/nr_kdamonds"), "nr_kdamonds");
    List<Kdamond> out = new ArrayList<>();
    for (int k = 0; k < nr; k++) {
      out.add(readKdamond(fs, k));
    }
    return new DamonStatus(true, nr, out);
  }

  static Kdamond readKdamond(DamonFs fs, int k) {
    String dir = "kdamonds/" + k + "/";
    boolean on = parseState(fs.read(dir + "state"));
    int pid = parsePid(fs.read(dir + "pid"));
    int nrContexts = parseCount(fs.read(dir + "contexts/nr_contexts"), "nr_contexts");
    if (nrContexts == 0) {
      return new Kdamond(k, on, pid, Optional.empty(), Set.of(), List.of(), List.of());
    }
    String ctx = dir + "contexts/0/";
    String ops = fs.read(ctx + "operations").strip();
    Set<String> avail =
        fs.exists(ctx + "avail_operations")
            ? parseAvailOperations(fs.read(ctx + "avail_operations"))
            : Set.of();
    List<Integer> pids = new ArrayList<>();
    if (ops.equals("vaddr") || ops.equals("fvaddr")) {
      int nt = parseCount(fs.read(ctx + "targets/nr_targets"), "nr_targets");
      for (int t = 0; t < nt; t++) {
        pids.add(parsePid(fs.read(ctx + "targets/" + t + "/pid_target")));
      }
    }
    List<String> actions = new ArrayList<>();
    int ns = parseCount(fs.read(ctx + "schemes/nr_schemes"), "nr_schemes");
    for (int s = 0; s < ns; s++) {
      actions.add(fs.read(ctx + "schemes/" + s + "/action").strip());
    }
    return new Kdamond(k, on, pid, Optional.of(ops), avail, pids, actions);
  }

  /** {@code state}: {@code on} or {@code off} (state_show, mm/damon/sysfs.c). */
  public static boolean parseState(String text) {
    return switch (text.strip()) {
      case "on" -> true;
      case "off" -> false;
      default -> throw KernelFsException.malformed(1, text.strip(), "state: expected on or off");
    };
  }

  /** A non-negative count such as {@code nr_kdamonds}. */
  public static int parseCount(String text, String what) {
    return Parse.unsignedInt(text.strip(), 1, what);
  }

  /** A pid that reads -1 when there is none (kdamond {@code pid}). */
  public static int parsePid(String text) {
    String s = text.strip();
    if (s.equals("-1")) {
      return -1;
    }
    return Parse.unsignedInt(s, 1, "pid");
  }

  /** {@code avail_operations}: one registered operations set per line. */
  public static Set<String> parseAvailOperations(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : Parse.lines(text)) {
      String s = line.strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
