package tierd.daemon;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.topology.Topology;
import tierd.whatif.SimulatedTiers;
import tierd.whatif.WhatIfConfig;

/**
 * The "whatif" stage: decides, per cycle, whether the cycle plans against simulated tiers ({@code
 * whatIf.fast} on a one-tier host) and says so once. Logs as {@code TieringCycle}.
 */
final class WhatIfTiers {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  private boolean said;

  /**
   * The what-if tiers of {@code whatIf.fast} on a one-tier host, or empty: none configured, or the
   * host has tiers of its own (then the real ones are planned, still without moving a page).
   */
  Optional<SimulatedTiers> of(Topology topo, WhatIfConfig whatIf) {
    var fast = whatIf.fast();
    if (fast.isEmpty()) {
      return Optional.empty();
    }
    if (topo.isTiered()) {
      if (!said) {
        log.warn(
            "whatIf.fast is set but this host has {} memory tiers: planning on them (dry-run)",
            topo.tiers().size());
        said = true;
      }
      return Optional.empty();
    }
    SimulatedTiers sim = SimulatedTiers.of(topo, fast.get().bytes());
    if (!said) {
      log.info("{}", sim.describe());
      said = true;
    }
    return Optional.of(sim);
  }
}
