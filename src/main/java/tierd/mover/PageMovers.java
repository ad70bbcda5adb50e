package tierd.mover;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelRoot;
import tierd.nativeio.Capabilities;
import tierd.nativeio.NumaSyscalls;

/**
 * Picks the mover the daemon runs with, from the capabilities probed once at start: the real {@link
 * MovePagesMover} when tierd may move pages, else a {@link DryRunMover} that still queries
 * placement when the kernel lets it, else one that only records. The reason for a dry run is logged
 * once, here.
 */
public final class PageMovers {

  private static final Logger LOG = LoggerFactory.getLogger(PageMovers.class);

  private PageMovers() {}

  /**
   * What the daemon moves pages with on the running kernel, after the capability probe.
   *
   * @param mover moves pages, or records the moves (a dry run)
   * @param placement asks the kernel where pages are, when it lets tierd ask
   * @param cannotLoad why the native layer could not be used at all (the mover only records)
   * @param cannotMove why the probe says pages cannot move here, when it says so
   */
  public record OnHost(
      PageMover mover,
      Optional<PlacementQuery> placement,
      Optional<String> cannotLoad,
      Optional<String> cannotMove) {}

  /**
   * Probes the capabilities ({@link CapabilityProbe}) and picks the mover as {@link #forHost}; a
   * native layer that fails to load or probe leaves a recording dry run and says why.
   *
   * @param dryRunRequested the operator (or the config) asked for a dry run
   */
  public static OnHost onHost(KernelRoot root, MoverConfig config, boolean dryRunRequested) {
    Capabilities caps;
    try {
      caps = CapabilityProbe.probe(root);
    } catch (LinkageError | RuntimeException e) {
      return new OnHost(
          DryRunMover.recording(Ticker.system()),
          Optional.empty(),
          Optional.of("cannot load the native syscalls (" + e.getMessage() + ")"),
          Optional.empty());
    }
    // forHost logs the capability problem itself, once, when it forces a dry run.
    PageMover mover = forHost(caps, root, config, dryRunRequested);
    Optional<String> cannotMove =
        caps.canMovePages()
            ? Optional.empty()
            : caps.dryRunReason().or(() -> Optional.of("page moves are not possible here"));
    Optional<PlacementQuery> placement =
        caps.canQuery()
            ? Optional.of(new PlacementQuery(new KernelPagesPort(NumaSyscalls.load())))
            : Optional.empty();
    return new OnHost(mover, placement, Optional.empty(), cannotMove);
  }

  /**
   * @param dryRunRequested the operator asked for {@code --dry-run}
   */
  public static PageMover forHost(
      Capabilities caps, KernelRoot root, MoverConfig config, boolean dryRunRequested) {
    ProcessIdentity identity = ProcessIdentity.procfs(root);
    if (caps.canMovePages() && !dryRunRequested) {
      MoverConfig effective = config;
      if (config.moveAll() && !caps.canMoveShared()) {
        LOG.warn(
            "mover.moveAll needs CAP_SYS_NICE, which tierd lacks: moving exclusive pages only"
                + " (shared pages count as EACCES)");
        effective = config.withMoveAll(false);
      }
      caps.warnings().forEach(w -> LOG.warn("{}", w));
      return new MovePagesMover(
          new KernelPagesPort(NumaSyscalls.load()), identity, Ticker.system(), effective);
    }
    if (!dryRunRequested) {
      LOG.warn("{}", caps.dryRunReason().orElse("page moves disabled, running dry"));
    }
    if (caps.canQuery()) {
      return DryRunMover.querying(
          new KernelPagesPort(NumaSyscalls.load()), identity, Ticker.system(), config);
    }
    return DryRunMover.recording(Ticker.system());
  }
}
