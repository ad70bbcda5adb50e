package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeBytesTest {

  @Test
  void nodeBytesIsACompactSortedMap() {
    NodeBytes nb = NodeBytes.of(Map.of(3, 10L, 1, 5L, 2, 0L));
    assertThat(nb.size()).isEqualTo(2);
    assertThat(nb.node(0)).isEqualTo(1);
    assertThat(nb.bytesOn(3)).isEqualTo(10);
    assertThat(nb.bytesOn(2)).isZero();
    assertThat(nb.totalBytes()).isEqualTo(15);
    assertThat(nb).isEqualTo(NodeBytes.of(Map.of(1, 5L, 3, 10L)));
    assertThat(nb.toString()).isEqualTo("N1=5B N3=10B");
  }
}
