package tierd.mover;

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
