package tierd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeSetTest {

  static Stream<Arguments> lists() {
    return Stream.of(
        Arguments.of("empty", "", new int[] {}, ""),
        Arguments.of("one", "0", new int[] {0}, "0"),
        Arguments.of("range", "0-3", new int[] {0, 1, 2, 3}, "0-3"),
        Arguments.of("range and single", "0-1,3", new int[] {0, 1, 3}, "0-1,3"),
        Arguments.of("adjacent singles fold", "0,1,2", new int[] {0, 1, 2}, "0-2"),
        Arguments.of("trailing newline", "2\n", new int[] {2}, "2"),
        Arguments.of("high node", "1023", new int[] {1023}, "1023"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lists")
  void parsesAndPrintsKernelListFormat(String name, String text, int[] nodes, String printed) {
    NodeSet s = NodeSet.parse(text);
    assertThat(s.toArray()).containsExactly(nodes);
    assertThat(s.toString()).isEqualTo(printed);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"x", "0-", "-1", "3-1", "0,,1", "1024", "0-1024", "1:2", "0x1"})
  void rejectsGarbage(String text) {
    assertThatThrownBy(() -> NodeSet.parse(text))
        .isInstanceOf(MalformedValueException.class)
        .hasMessageContaining("nodelist: ");
  }

  static Stream<Arguments> masks() {
    return Stream.of(
        Arguments.of("one word", "00000001", "0"),
        Arguments.of("Mems_allowed style", "00000000,00000003", "0-1"),
        Arguments.of("second word", "00000001,00000000", "32"),
        Arguments.of("sparse", "00000005", "0,2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("masks")
  void parsesMasks(String name, String mask, String list) {
    assertThat(NodeSet.parseMask(mask)).isEqualTo(NodeSet.parse(list));
  }

  @Test
  void maskWordsForC() {
    assertThat(NodeSet.of(0, 2, 64).toMaskWords(128)).containsExactly(5L, 1L);
    assertThatThrownBy(() -> NodeSet.of(70).toMaskWords(64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit");
  }

  @Test
  void rejectsOutOfRangeIds() {
    assertThatThrownBy(() -> NodeSet.of(-1)).hasMessageContaining("outside");
    assertThatThrownBy(() -> NodeSet.of(NodeSet.MAX_NUMNODES)).hasMessageContaining("outside");
  }

  /** Set algebra agrees with BitSet and round-trips through the kernel format (seeded). */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234567})
  void algebraMatchesBitSet(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      BitSet a = random(rnd);
      BitSet b = random(rnd);
      NodeSet sa = NodeSet.of(a.stream().boxed().toList());
      NodeSet sb = NodeSet.of(b.stream().boxed().toList());
      String ctx = "seed " + seed + " case " + i + ": " + sa + " / " + sb;
      assertThat(NodeSet.parse(sa.toString())).as(ctx).isEqualTo(sa);
      assertThat(sa.intersect(sb)).as(ctx).isEqualTo(of(and(a, b)));
      assertThat(sa.union(sb)).as(ctx).isEqualTo(of(or(a, b)));
      assertThat(sa.minus(sb)).as(ctx).isEqualTo(of(andNot(a, b)));
      assertThat(sa.minus(sb).intersects(sb)).as(ctx).isFalse();
      assertThat(sa.union(sb).containsAll(sa)).as(ctx).isTrue();
      assertThat(sa.intersect(sb).size() + sa.union(sb).size())
          .as(ctx)
          .isEqualTo(sa.size() + sb.size());
      long[] words = sa.toMaskWords(NodeSet.MAX_NUMNODES);
      assertThat(of(BitSet.valueOf(words))).as(ctx).isEqualTo(sa);
    }
  }

  private static BitSet random(SplittableRandom rnd) {
    BitSet b = new BitSet();
    int max = rnd.nextBoolean() ? 8 : NodeSet.MAX_NUMNODES;
    int n = rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      int lo = rnd.nextInt(max);
      int hi = Math.min(max, lo + 1 + rnd.nextInt(4));
      b.set(lo, hi);
    }
    return b;
  }

  private static NodeSet of(BitSet b) {
    return NodeSet.of(b.stream().boxed().toList());
  }

  private static BitSet and(BitSet a, BitSet b) {
    BitSet c = (BitSet) a.clone();
    c.and(b);
    return c;
  }

  private static BitSet or(BitSet a, BitSet b) {
    BitSet c = (BitSet) a.clone();
    c.or(b);
    return c;
  }

  private static BitSet andNot(BitSet a, BitSet b) {
    BitSet c = (BitSet) a.clone();
    c.andNot(b);
    return c;
  }
}
