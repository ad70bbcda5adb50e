package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limits' own checks. */
class MoveLimitsTest {

  @Test
  void aNegativeBudgetIsRefusedAndNoneSaturates() {
    assertThatThrownBy(() -> new MoveLimits(Duration.ofMillis(-1), NodeRoom.UNLIMITED))
        .hasMessageContaining("timeBudget must not be negative");
    assertThat(MoveLimits.NONE.timeBudgetNanos()).isEqualTo(Long.MAX_VALUE);
  }
}
