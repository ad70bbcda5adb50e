package tierd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

  @Test
  void rejectsInvertedRanges() {
    assertThatThrownBy(() -> new AddressRange(0x2000, 0x1000))
        .hasMessageContaining("bad address range");
    assertThatThrownBy(() -> new AddressRange(-1, 0)).hasMessageContaining("bad address range");
  }

  @Test
  void alignsOutToPagesAndFolios() {
    AddressRange r = new AddressRange(0x1234, 0x5678);
    assertThat(r.alignOut(4096)).isEqualTo(new AddressRange(0x1000, 0x6000));
    assertThat(r.pages(4096)).isEqualTo(5);
    assertThat(new AddressRange(0x200000, 0x400000).pages(2 << 20)).isEqualTo(1);
  }

  /** Overlap algebra: intersect is symmetric, inside both, and its size is overlapBytes. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8, 9, 2026})
  void overlapAlgebra(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 2000; i++) {
      AddressRange a = random(rnd);
      AddressRange b = random(rnd);
      String ctx = "seed " + seed + " case " + i + ": " + a + " " + b;
      AddressRange ab = a.intersect(b);
      assertThat(ab.sizeBytes()).as(ctx).isEqualTo(a.overlapBytes(b));
      assertThat(b.intersect(a).sizeBytes()).as(ctx).isEqualTo(ab.sizeBytes());
      assertThat(a.overlaps(b)).as(ctx).isEqualTo(ab.sizeBytes() > 0);
      if (!ab.isEmpty()) {
        assertThat(a.contains(ab) && b.contains(ab)).as(ctx).isTrue();
      }
      AddressRange al = a.alignOut(4096);
      assertThat(al.contains(a)).as(ctx).isTrue();
      assertThat(al.start() % 4096).as(ctx).isZero();
      assertThat(al.end() % 4096).as(ctx).isZero();
    }
  }

  private static AddressRange random(SplittableRandom rnd) {
    long s = rnd.nextLong(1L << 47);
    return AddressRange.ofSize(s, rnd.nextLong(1 << 24));
  }
}
