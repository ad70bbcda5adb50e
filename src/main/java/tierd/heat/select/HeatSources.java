package tierd.heat.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.HeatSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.Sleeper;
import tierd.heat.SourceKind;
import tierd.heat.accessed.ClearRefsSource;
import tierd.heat.accessed.IdlePageSource;
import tierd.heat.accessed.NumaMapsActiveSource;
import tierd.heat.accessed.TunedWindow;
import tierd.heat.damon.DamonFs;
import tierd.heat.damon.DamonObserveSource;
import tierd.heat.damon.DamonSource;
import tierd.heat.damon.Owner;
import tierd.heat.damon.SysfsDamonFs;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.PageSize;
import tierd.model.ProcessId;

/**
 * Opens the best heat source: probes the host ({@link HeatProbes}), ranks the configured kinds
 * ({@link SourceChooser}) and opens them in order until one opens, so that a DAMON kind that turns
 * out busy or incomplete at open time falls back to the next.
 */
public final class HeatSources {

  private static final Logger log = LoggerFactory.getLogger(HeatSources.class);

  private HeatSources() {}

  /** The open source, its kind and the one-line explanation of the choice. */
  public record Opened(HeatSource source, SourceKind kind, String explanation) {}

  /** What the sources need from the outside world; production uses {@link #host}. */
  public record Env(
      KernelRoot root, DamonFs damonFs, ProcessId self, LongSupplier nanos, Sleeper sleeper) {}

  public static Env host(KernelRoot root, DamonFs damonFs) {
    return new Env(root, damonFs, Owner.self(root), System::nanoTime, Sleeper.real());
  }

  /**
   * The daemon's environment over {@code root}: DAMON's sysfs under {@code root}, and tierd's own
   * identity from the running kernel (a fixture tree has no tierd process in it).
   */
  public static Env daemon(KernelRoot root) {
    return new Env(
        root,
        new SysfsDamonFs(root),
        Owner.self(KernelRoot.host()),
        System::nanoTime,
        Sleeper.real());
  }

  public static Opened open(HeatConfig config, Env env) {
    HeatProbes probes = HeatProbes.read(env.root(), env.damonFs(), config.runtimeDir(), env.self());
    SourceChooser.Choice choice = SourceChooser.choose(probes, config.preference());
    List<String> skipped = new ArrayList<>(choice.skipped());
    for (SourceKind k : choice.candidates()) {
      try {
        HeatSource s = create(k, config, env);
        String line = SourceChooser.explain(Optional.of(k), skipped);
        log.info("{}", line);
        log.info("{}: {}", k.label(), k.description());
        return new Opened(s, k, line);
      } catch (HeatSourceUnavailableException e) {
        skipped.add(k.label() + ": " + e.reason());
      }
    }
    throw new HeatSourceUnavailableException(
        null, SourceChooser.explain(Optional.empty(), skipped));
  }

  /** Opens one kind, or fails with the reason it cannot run here. */
  public static HeatSource open(SourceKind kind, HeatConfig config, Env env) {
    HeatProbes probes = HeatProbes.read(env.root(), env.damonFs(), config.runtimeDir(), env.self());
    SourceChooser.unavailable(probes, kind)
        .ifPresent(
            why -> {
              throw new HeatSourceUnavailableException(kind, why);
            });
    return create(kind, config, env);
  }

  /** A per-window source's window, tuned towards the access goal within the configured bounds. */
  public static TunedWindow window(HeatConfig config, Env env) {
    return new TunedWindow(config.windows().tuner(config.accessGoal()), env.nanos(), env.sleeper());
  }

  private static HeatSource create(SourceKind kind, HeatConfig config, Env env) {
    return switch (kind) {
      case DAMON_VADDR, DAMON_PADDR ->
          DamonSource.open(
              DamonSource.Mode.of(kind),
              config.damon(),
              config.accessGoal(),
              env.damonFs(),
              env.root(),
              config.runtimeDir(),
              env.self(),
              env.sleeper());
      case IDLE_PAGE ->
          new IdlePageSource(env.root(), config.chunkBytes(), env.nanos(), window(config, env));
      case CLEAR_REFS_SOFT_DIRTY ->
          ClearRefsSource.withSoftDirty(
              env.root(),
              PageSize.of(env.root()),
              config.chunkBytes(),
              env.nanos(),
              window(config, env));
      case CLEAR_REFS -> new ClearRefsSource(env.root(), env.nanos(), window(config, env));
      case NUMA_MAPS_ACTIVE -> new NumaMapsActiveSource(env.nanos());
      case DAMON_OBSERVE -> new DamonObserveSource(env.damonFs(), env.nanos());
    };
  }
}
