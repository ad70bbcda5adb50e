package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A tenant's floor or ceiling: fixed bytes or a share of its resident memory. */
class FastShareTest {

  private static final long GIB = 1L << 30;

  @Test
  void fixedBytesAreTheSameForEveryTenantSize() {
    FastShare twoGib = FastShare.ofBytes(2 * GIB);
    assertThat(twoGib.relative()).isFalse();
    assertThat(twoGib.bytesOf(0)).isEqualTo(2 * GIB);
    assertThat(twoGib.bytesOf(64 * GIB)).isEqualTo(2 * GIB);
    assertThat(twoGib).hasToString("2GiB");
  }

  @Test
  void aShareFollowsTheResidentBytes() {
    FastShare sixty = FastShare.ofResident(0.6);
    assertThat(sixty.relative()).isTrue();
    assertThat(sixty.bytesOf(10 * GIB)).isEqualTo((long) (10 * GIB * 0.6));
    assertThat(sixty.bytesOf(0)).isZero();
    assertThat(sixty).hasToString("60 %");
    assertThat(FastShare.ofResident(0.125)).hasToString("12.5 %");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "negative bytes,       -1, -1",
    "share above 100 %,     0,  1.01",
    "share not a number,    0,  NaN",
  })
  void outOfRangeIsRejected(String name, long bytes, double fraction) {
    assertThatThrownBy(() -> new FastShare(bytes, fraction))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a fast-tier share is bytes >= 0 or a percentage in [0%, 100%]");
  }
}
