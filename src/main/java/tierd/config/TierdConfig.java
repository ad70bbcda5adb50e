package tierd.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelRoot;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.planner.TenantClass;
import tierd.profile.ProfileConfig;
import tierd.whatif.WhatIfConfig;

/**
 * The whole of tierd.yaml, parsed and validated once, then immutable. {@code config/tierd.yaml}
 * documents every key with its unit and default.
 *
 * <p>Sections owned by a stage (heat, scoring, planner, mover) are kept as {@link ConfigNode}s here
 * and turned into that stage's own record by the stage, so that validation lives next to the code
 * that uses the value; {@link #load} still validates all of them before returning.
 */
public record TierdConfig(
    String source,
    Path root,
    Duration interval,
    Duration busyInterval,
    boolean dryRun,
    String listen,
    Path runtimeDirectory,
    ProcessesConfig processes,
    List<TenantClass> classes,
    List<NodeSet> tiers,
    StageConfigs stages,
    WhatIfConfig whatIf,
    ProfileConfig profile) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_BUSY_INTERVAL = Duration.ofSeconds(1);
  public static final String DEFAULT_LISTEN = "127.0.0.1:9464";

  /** Defaults only (no file). */
  public static TierdConfig defaults() {
    return parse("<defaults>", "");
  }

  public static TierdConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(),
          0,
          null,
          "cannot read: "
              + KernelFiles.reason(e)
              + " (give the path of a readable YAML file, e.g. /etc/tierd/tierd.yaml)");
    }
    return parse(file.toString(), text);
  }

  /** Parses and validates; the error names file, line and key. */
  public static TierdConfig parse(String source, String yaml) {
    ConfigNode n = ConfigNode.parse(source, yaml);
    Path root = Path.of(n.string("root", "/"));
    if (!root.isAbsolute()) {
      throw n.error("root", "'" + root + "' must be an absolute path");
    }
    Duration interval =
        n.duration("interval", DEFAULT_INTERVAL, Duration.ofMillis(100), Duration.ofHours(1));
    // unset: 1 s, or the interval when that is shorter
    Duration busyInterval =
        n.duration(
            "busyInterval",
            DEFAULT_BUSY_INTERVAL.compareTo(interval) < 0 ? DEFAULT_BUSY_INTERVAL : interval,
            Duration.ofMillis(100),
            Duration.ofHours(1));
    if (busyInterval.compareTo(interval) > 0) {
      throw n.error(
          "busyInterval",
          busyInterval.toMillis()
              + "ms must not be longer than interval ("
              + interval.toMillis()
              + "ms)");
    }
    boolean dryRun = n.bool("dryRun", false);
    String listen = n.string("listen", DEFAULT_LISTEN);
    checkListen(n, listen);
    Path runtime = Path.of(n.string("runtimeDirectory", "/run/tierd"));
    if (!runtime.isAbsolute()) {
      throw n.error("runtimeDirectory", "'" + runtime + "' must be an absolute path");
    }
    ProcessesConfig processes = ProcessesConfig.from(n.section("processes"));
    List<TenantClass> classes = ClassesConfig.from(n);
    List<NodeSet> tiers = new ArrayList<>();
    for (String t : n.strings("tiers")) {
      NodeSet s;
      try {
        s = NodeSet.parse(t);
      } catch (IllegalArgumentException e) {
        throw n.error("tiers", "'" + t + "' is not a nodelist (e.g. 0-1 or 2,3)");
      }
      if (s.isEmpty()) {
        throw n.error("tiers", "a tier must list at least one node");
      }
      tiers.add(s);
    }
    StageConfigs stages = StageConfigs.from(n, runtime);
    WhatIfConfig whatIf = whatIf(n.section("whatIf"));
    ConfigNode pn = n.section("profile");
    ProfileConfig profile =
        new ProfileConfig(pn.percent("cpuBudget", ProfileConfig.DEFAULT.cpuBudget(), 0.0001, 1.0));
    n.finish();
    return new TierdConfig(
        source,
        root,
        interval,
        busyInterval,
        dryRun,
        listen,
        runtime,
        processes,
        classes,
        tiers,
        stages,
        whatIf,
        profile);
  }

  private static WhatIfConfig whatIf(ConfigNode n) {
    if (!n.has("fast")) {
      return WhatIfConfig.NONE;
    }
    return new WhatIfConfig(
        Optional.of(
            n.size("fast", DataSize.ZERO, DataSize.ofBytes(4096), DataSize.ofGiB(1 << 20))));
  }

  /** The same config with another root (a fixture tree). */
  public TierdConfig withRoot(Path newRoot) {
    return with(copy -> copy.root = newRoot.toAbsolutePath().normalize());
  }

  /** The same config with other stage sections. */
  public TierdConfig withStages(StageConfigs newStages) {
    return with(copy -> copy.stages = newStages);
  }

  /** The same config with another what-if (the command line's {@code --what-if}). */
  public TierdConfig withWhatIf(WhatIfConfig newWhatIf) {
    return with(copy -> copy.whatIf = newWhatIf);
  }

  /** The same config with another profile section. */
  public TierdConfig withProfile(ProfileConfig newProfile) {
    return with(copy -> copy.profile = newProfile);
  }

  /** This config with what {@code change} sets in a copy of its fields. */
  private TierdConfig with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** The fields of a config, to change some of them and build another. */
  private static final class Copy {
    String source;
    Path root;
    Duration interval;
    Duration busyInterval;
    boolean dryRun;
    String listen;
    Path runtimeDirectory;
    ProcessesConfig processes;
    List<TenantClass> classes;
    List<NodeSet> tiers;
    StageConfigs stages;
    WhatIfConfig whatIf;
    ProfileConfig profile;

    Copy(TierdConfig from) {
      source = from.source;
      root = from.root;
      interval = from.interval;
      busyInterval = from.busyInterval;
      dryRun = from.dryRun;
      listen = from.listen;
      runtimeDirectory = from.runtimeDirectory;
      processes = from.processes;
      classes = from.classes;
      tiers = from.tiers;
      stages = from.stages;
      whatIf = from.whatIf;
      profile = from.profile;
    }

    TierdConfig build() {
      return new TierdConfig(
          source,
          root,
          interval,
          busyInterval,
          dryRun,
          listen,
          runtimeDirectory,
          processes,
          classes,
          tiers,
          stages,
          whatIf,
          profile);
    }
  }

  private static void checkListen(ConfigNode n, String listen) {
    listenProblem(listen)
        .ifPresent(
            problem -> {
              throw n.error("listen", problem + " (e.g. 127.0.0.1:9464)");
            });
  }

  /** What is wrong with {@code listen} as a host:port address, if anything. */
  public static Optional<String> listenProblem(String listen) {
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.of("'" + listen + "' must be host:port");
    }
    try {
      int port = Integer.parseInt(listen.substring(colon + 1));
      if (port < 0 || port > 65535) {
        return Optional.of("port " + port + " is outside [0, 65535]");
      }
    } catch (NumberFormatException e) {
      return Optional.of("'" + listen.substring(colon + 1) + "' is not a port number");
    }
    return Optional.empty();
  }

  /**
   * The keys that differ in {@code next} and apply only when tierd restarts, not on a SIGHUP
   * reload: the root, the endpoint, the runtime directory, dry-run, the heat source and the mover.
   */
  public List<String> restartOnlyChanges(TierdConfig next) {
    List<String> out = new ArrayList<>();
    if (!root.equals(next.root)) {
      out.add("root");
    }
    if (!listen.equals(next.listen)) {
      out.add("listen");
    }
    if (!runtimeDirectory.equals(next.runtimeDirectory)) {
      out.add("runtimeDirectory");
    }
    if (dryRun != next.dryRun) {
      out.add("dryRun");
    }
    if (!stages.heat().equals(next.stages.heat())) {
      out.add("heat");
    }
    if (!stages.mover().equals(next.stages.mover())) {
      out.add("mover");
    }
    return out;
  }

  public KernelRoot kernelRoot() {
    return root.equals(Path.of("/")) ? KernelRoot.host() : KernelRoot.under(root);
  }

  public String listenHost() {
    return listen.substring(0, listen.lastIndexOf(':'));
  }

  public int listenPort() {
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
  }
}
