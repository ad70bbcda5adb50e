package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.T0;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void tokenBucketRefillsByRateUpToCapacityAndNotBackwards() {
    TokenBucket b = TokenBucket.UNSTARTED.refill(T0, 100, 1000);
    assertThat(b.tokensBytes()).isEqualTo(1000);
    b = b.take(900).refill(T0.plusSeconds(2), 100, 1000);
    assertThat(b.tokensBytes()).isEqualTo(300);
    b = b.refill(T0.plusSeconds(60), 100, 1000);
    assertThat(b.tokensBytes()).isEqualTo(1000);
    TokenBucket back = b.take(1000).refill(T0, 100, 1000);
    assertThat(back.tokensBytes()).isZero();
    assertThat(back.refilledAt()).contains(T0.plusSeconds(60));
  }
}
