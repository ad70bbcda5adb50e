package tierd.daemon;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.TierdConfig;
import tierd.heat.SourceKind;
import tierd.heat.select.HeatConfig;
import tierd.heat.select.HeatSources;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.PageSize;
import tierd.metrics.TierdMetrics;
import tierd.mover.DryRunMover;
import tierd.mover.PageMover;
import tierd.mover.PageMovers;
import tierd.mover.PlacementQuery;
import tierd.mover.Ticker;

/**
 * Builds a {@link TieringCycle.Parts} from a config: on the running kernel the mover package probes
 * the capabilities once and gives the mover and the placement query ({@link PageMovers#onHost});
 * this decides between moving and dry-run. The decision and its reason are kept for the status
 * endpoint; the reason is logged once.
 */
public final class Wiring {

  private static final Logger log = LoggerFactory.getLogger(Wiring.class);

  /** Pages whose placement is queried per cycle at most (1 GiB of base pages). */
  static final long PLACEMENT_PAGE_BUDGET = 1L << 18;

  /**
   * The parts, and why tierd runs in dry-run (empty when it moves pages).
   *
   * @param probeForbidsMoves the capability probe found that pages cannot move here (and the mover
   *     factory has logged why)
   */
  public record Wired(
      TieringCycle.Parts parts, Optional<String> dryRunReason, boolean probeForbidsMoves) {}

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
    } else if (config.whatIf().enabled()) {
      reason = Optional.of("whatIf.fast is set: the tiers are simulated, nothing moves");
    }
    Optional<PlacementQuery> placementQuery = Optional.empty();
    boolean probeForbidsMoves = false;
    PageMover mover;
    if (!root.isHost()) {
      if (reason.isEmpty()) {
        reason =
            Optional.of("reading a fixture tree (" + config.root() + "), not the running kernel");
      }
      mover = DryRunMover.recording(Ticker.system());
    } else {
      PageMovers.OnHost host = PageMovers.onHost(root, config.stages().mover(), reason.isPresent());
      mover = host.mover();
      placementQuery = host.placement();
      probeForbidsMoves = host.cannotMove().isPresent();
      if (host.cannotLoad().isPresent()) {
        reason = host.cannotLoad();
      } else if (reason.isEmpty()) {
        reason = host.cannotMove();
      }
    }
    boolean dryRun = reason.isPresent();
    Optional<PlacementProbe> placement =
        placementQuery.map(query -> new PlacementProbe(query, PLACEMENT_PAGE_BUDGET));
    HeatConfig heatConfig = readOnlyOnFixtures(config.stages().heat(), root);
    HeatSources.Env env = HeatSources.daemon(root);
    HeatSourceFactory heat =
        () -> {
          HeatSources.Opened o = HeatSources.open(heatConfig, env);
          log.info("hotness source: {}", o.explanation());
          return o.source();
        };
    ConflictCheck conflicts = ConflictCheck.kernel(env);
    return new Wired(
        new TieringCycle.Parts(
            root, pageBytes, clock, mover, dryRun, placement, heat, conflicts, metrics),
        reason,
        probeForbidsMoves);
  }

  /**
   * A fixture tree is evidence, not a kernel: tierd must never write into it (no kdamond, no
   * clear_refs), so only the read-only sources are used there.
   */
  static HeatConfig readOnlyOnFixtures(HeatConfig c, KernelRoot root) {
    if (root.isHost()) {
      return c;
    }
    return c.withPreference(List.of(SourceKind.DAMON_OBSERVE, SourceKind.NUMA_MAPS_ACTIVE));
  }
}
