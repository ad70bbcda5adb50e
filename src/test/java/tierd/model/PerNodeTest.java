package tierd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PerNodeTest {

  @Test
  void keepsNonZeroCountsInNodeOrder() {
    Map<Integer, Long> m = new HashMap<>();
    m.put(3, 7L);
    m.put(0, 60L);
    m.put(1, 0L);
    PerNode c = PerNode.of(m);
    assertThat(c.size()).isEqualTo(2);
    assertThat(c.node(0)).isZero();
    assertThat(c.count(0)).isEqualTo(60);
    assertThat(c.node(1)).isEqualTo(3);
    assertThat(c.count(1)).isEqualTo(7);
    assertThat(c.countOn(1)).isZero();
    assertThat(c.countOn(3)).isEqualTo(7);
    assertThat(c.total()).isEqualTo(67);
    assertThat(c.nodeSet()).isEqualTo(NodeSet.of(0, 3));
    assertThat(c).hasToString("N0=60 N3=7");
    assertThat(c.toMap()).isEqualTo(Map.of(0, 60L, 3, 7L));
  }

  @Test
  void allZeroIsEmpty() {
    assertThat(PerNode.of(Map.of(0, 0L, 1, 0L))).isSameAs(PerNode.empty());
    assertThat(PerNode.of(2, 0)).isSameAs(PerNode.empty());
    assertThat(PerNode.empty().total()).isZero();
    assertThat(PerNode.empty().toMap()).isEmpty();
  }

  @Test
  void rejectsANegativeCountOrABadNode() {
    assertThatThrownBy(() -> PerNode.of(Map.of(1, -4L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative count -4 on node 1");
    assertThatThrownBy(() -> PerNode.of(-1, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMapItGivesCannotChangeIt() {
    PerNode c = PerNode.of(0, 5);
    SortedMap<Integer, Long> m = c.toMap();
    assertThatThrownBy(() -> m.put(1, 1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(c.countOn(1)).isZero();
  }

  @Test
  void scaledRoundsEachCountAndDropsZeros() {
    PerNode pages = PerNode.of(Map.of(0, 3L, 1, 100L));
    // a sixth: 0.5 pages round to 1 on node 0, 16.67 to 17 on node 1; times 4 KiB
    assertThat(pages.scaled(1.0 / 6, 4096).toMap()).isEqualTo(Map.of(0, 4096L, 1, 17 * 4096L));
    // a hundredth: node 0's 0.03 pages round to none and are dropped
    assertThat(pages.scaled(0.01, 4096).toMap()).isEqualTo(Map.of(1, 4096L));
    assertThat(pages.scaled(0, 4096)).isSameAs(PerNode.empty());
    assertThat(PerNode.scaledCount(3, 1.0 / 6, 4096)).isEqualTo(4096);
    assertThat(PerNode.scaledCount(100, 1.0 / 6, 4096)).isEqualTo(17 * 4096L);
  }

  @Test
  void equalCountsAreEqualHowEverBuilt() {
    PerNode a = PerNode.of(Map.of(2, 9L, 0, 1L));
    PerNode b = PerNode.of(new TreeMap<>(Map.of(0, 1L, 2, 9L, 5, 0L)));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(PerNode.of(Map.of(2, 9L)));
  }

  /** Seeded random maps: every accessor agrees with the map it was built from. */
  @Test
  void agreesWithItsMapOnRandomInput() {
    SplittableRandom rnd = new SplittableRandom(16);
    for (int round = 0; round < 1000; round++) {
      Map<Integer, Long> m = new HashMap<>();
      int n = rnd.nextInt(6);
      for (int i = 0; i < n; i++) {
        m.put(rnd.nextInt(64), rnd.nextInt(3) == 0 ? 0L : rnd.nextLong(1L << 40));
      }
      PerNode c = PerNode.of(m);
      SortedMap<Integer, Long> want = new TreeMap<>(m);
      want.values().removeIf(v -> v == 0);
      assertThat(c.toMap()).as("round %d", round).isEqualTo(want);
      assertThat(c.total()).isEqualTo(want.values().stream().mapToLong(Long::longValue).sum());
      for (int node = 0; node < 64; node++) {
        assertThat(c.countOn(node)).isEqualTo(want.getOrDefault(node, 0L));
      }
      int prev = -1;
      for (int i = 0; i < c.size(); i++) {
        assertThat(c.node(i)).isGreaterThan(prev);
        prev = c.node(i);
      }
    }
  }
}
