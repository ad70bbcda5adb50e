package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tierd.CapturedLog;
import tierd.Fixtures;
import tierd.model.DataSize;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;
import tierd.whatif.SimulatedTiers;
import tierd.whatif.WhatIfConfig;

/**
 * Simulated tiers only where they make sense (a one-tier host with {@code whatIf.fast}), said once.
 */
class WhatIfTiersTest {

  private static final long PAGE = 4096;
  private static final WhatIfConfig FAST_1G = new WhatIfConfig(Optional.of(DataSize.parse("1GiB")));

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private static Topology read(String fixture) {
    return new TopologyReader(Fixtures.root(fixture), PAGE).read(List.of());
  }

  @Test
  void aOneTierHostIsSimulatedAndDescribedOnce() {
    Topology host = read("host-1node");
    WhatIfTiers whatIf = new WhatIfTiers();
    Optional<SimulatedTiers> first = whatIf.of(host, FAST_1G);
    assertThat(first).isPresent();
    assertThat(first.get().topology().isTiered()).isTrue();
    assertThat(first.get().fastBytes()).isEqualTo(1L << 30);
    assertThat(whatIf.of(host, FAST_1G)).isPresent();
    assertThat(logged.startingWith("what-if: node 0")).hasSize(1);
  }

  @Test
  void aTieredHostIsPlannedOnItsOwnTiersWithOneWarning() {
    Topology guest = read("vm-2node");
    WhatIfTiers whatIf = new WhatIfTiers();
    assertThat(whatIf.of(guest, FAST_1G)).isEmpty();
    assertThat(whatIf.of(guest, FAST_1G)).isEmpty();
    assertThat(logged.startingWith("whatIf.fast is set but this host has 2 memory tiers"))
        .hasSize(1);
  }

  @Test
  void withoutWhatIfNothingIsSimulated() {
    assertThat(new WhatIfTiers().of(read("host-1node"), WhatIfConfig.NONE)).isEmpty();
    assertThat(logged.events()).isEmpty();
  }
}
