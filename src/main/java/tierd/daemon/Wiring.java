package tierd.daemon;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.TierdConfig;
import tierd.heat.HeatSources;
import tierd.heat.damon.DamonFs;
import tierd.heat.damon.SysfsDamonFs;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.PageSize;
import tierd.metrics.TierdMetrics;
import tierd.mover.DryRunMover;
import tierd.mover.KernelPagesPort;
import tierd.mover.MovePagesMover;
import tierd.mover.PageMover;
import tierd.mover.PagesPort;
import tierd.mover.ProcessIdentity;
import tierd.mover.Ticker;
import tierd.nativeio.Capabilities;
import tierd.nativeio.CapabilityProbe;
import tierd.nativeio.NumaSyscalls;

/**
 * Builds a {@link TieringCycle.Parts} from a config: probes capabilities once, loads the native
 * port, and decides between moving and dry-run. The decision and its reason are kept for the status
 * endpoint; the reason is logged once.
 */
public final class Wiring {

  private static final Logger log = LoggerFactory.getLogger(Wiring.class);

  /** Pages whose placement is queried per cycle at most (1 GiB of base pages). */
  static final long PLACEMENT_PAGE_BUDGET = 1L << 18;

  /** The parts, and why tierd runs in dry-run (empty when it moves pages). */
  public record Wired(
      TieringCycle.Parts parts,
      Optional<String> dryRunReason,
      Optional<Capabilities> capabilities) {}

  private Wiring() {}

  public static Wired wire(
      TierdConfig config, boolean forceDryRun, Clock clock, TierdMetrics metrics) {
    KernelRoot root = config.kernelRoot();
    long pageBytes = PageSize.of(root);
    Optional<String> reason = Optional.empty();
    if (forceDryRun) {
      reason = Optional.of("--dry-run given");
    } else if (config.dryRun()) {
      reason = Optional.of("dryRun: true in " + config.source());
    }
    PagesPort port = null;
    Optional<Capabilities> caps = Optional.empty();
    if (!root.isHost()) {
      if (reason.isEmpty()) {
        reason =
            Optional.of("reading a fixture tree (" + config.root() + "), not the running kernel");
      }
    } else {
      try {
        NumaSyscalls sys = NumaSyscalls.load();
        Capabilities c = CapabilityProbe.probe(root, sys);
        caps = Optional.of(c);
        port = new KernelPagesPort(sys);
        c.warnings().forEach(w -> log.warn("{}", w));
        if (reason.isEmpty() && c.dryRunReason().isPresent()) {
          reason = Optional.of(c.dryRunReason().get());
        }
      } catch (LinkageError | RuntimeException e) {
        reason = Optional.of("cannot load the native syscalls (" + e.getMessage() + ")");
        if (reason.isEmpty()) {
          throw e;
        }
      }
    }
    boolean dryRun = reason.isPresent();
    ProcessIdentity identity = ProcessIdentity.procfs(root);
    PageMover mover;
    if (!dryRun) {
      mover = new MovePagesMover(port, identity, Ticker.system(), config.stages().mover());
    } else if (port != null && caps.map(Capabilities::canQuery).orElse(false)) {
      mover = DryRunMover.querying(port, identity, Ticker.system(), config.stages().mover());
    } else {
      mover = DryRunMover.recording(Ticker.system());
    }
    Optional<PlacementProbe> placement =
        port != null && caps.map(Capabilities::canQuery).orElse(false)
            ? Optional.of(new PlacementProbe(port, PLACEMENT_PAGE_BUDGET))
            : Optional.empty();
    DamonFs damonFs = new SysfsDamonFs(root);
    OwnKdamonds own = new OwnKdamonds();
    TieringCycle.HeatSourceFactory heat =
        () -> {
          HeatSources.Opened o =
              HeatSources.open(config.stages().heat(), HeatSources.host(root, damonFs));
          log.info("hotness source: {}", o.explanation());
          own.source = o.source();
          return o.source();
        };
    TieringCycle.ConflictCheck conflicts = TieringCycle.kernelConflicts(root, damonFs, own::get);
    return new Wired(
        new TieringCycle.Parts(
            root, pageBytes, clock, mover, dryRun, placement, heat, conflicts, metrics),
        reason,
        caps);
  }

  /** The kdamonds tierd created, as the current heat source reports them. */
  private static final class OwnKdamonds {
    Object source;

    Set<Integer> get() {
      if (source instanceof tierd.heat.damon.DamonSource d && d.running()) {
        return Set.of(0); // DamonSource only ever creates kdamond 0, when no other kdamond exists
      }
      return Set.of();
    }
  }
}
