package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.vma;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.process.Vma;

class RegionPlacementTest {

  @Test
  void placementIsEstimatedFromTheVmaInProportion() {
    Vma v = vma(BASE, 16 * MiB, MemPolicy.DEFAULT, on(0, 4 * MiB, 2, 12 * MiB));
    RegionPlacement p = RegionPlacement.estimate(1, v, AddressRange.ofSize(BASE - MiB, 5 * MiB));
    assertThat(p.range()).isEqualTo(AddressRange.ofSize(BASE, 4 * MiB));
    assertThat(p.bytesOnNode().toMap()).isEqualTo(Map.of(0, MiB, 2, 3 * MiB));
    assertThat(p.exact()).isFalse();
    assertThatThrownBy(() -> RegionPlacement.estimate(1, v, AddressRange.ofSize(0, 4096)))
        .hasMessageContaining("outside VMA");
  }
}
