package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;

/** MoveRequest, MoverConfig, ProcessId and Tally: validation messages and arithmetic. */
class MoverValuesTest {

  static final ProcessId P = new ProcessId(100, 5000);

  static Stream<Arguments> rejected() {
    return Stream.of(
        bad(
            "target among the sources",
            () -> MoveRequest.basePages(P, List.of(), NodeSet.of(0, 2), 2),
            "move to node 2: the target is among the source nodes 0,2"),
        bad(
            "no source nodes",
            () -> MoveRequest.basePages(P, List.of(), NodeSet.empty(), 0),
            "move to node 0: no source nodes"),
        bad(
            "page size not a power of two",
            () -> new MoveRequest(P, List.of(), NodeSet.of(1), 0, 6000),
            "pageBytes must be a power of two >= 4096, got 6000"),
        bad(
            "negative planned pages",
            () -> new MoveRequest(P, List.of(), NodeSet.of(1), 0, 4096, -1),
            "move to node 0: negative plannedPages -1"),
        bad(
            "target node out of range",
            () -> MoveRequest.basePages(P, List.of(), NodeSet.of(1), 4096),
            "node id 4096 outside [0,1024)"),
        bad(
            "call bound zero",
            () -> MoverConfig.DEFAULT.withCallBound(Duration.ZERO),
            "mover.callBound must be in (0, 10s], got PT0S"),
        bad(
            "call bound too long",
            () -> MoverConfig.DEFAULT.withCallBound(Duration.ofSeconds(11)),
            "mover.callBound must be in (0, 10s], got PT11S"),
        bad(
            "initial batch above the max",
            () -> MoverConfig.DEFAULT.withBatchPages(100, 10),
            "mover.initialBatchPages must be in [1, maxBatchPages=10], got 100"),
        bad(
            "max batch zero",
            () -> MoverConfig.DEFAULT.withBatchPages(1, 0),
            "mover.maxBatchPages must be in [1, 1048576], got 0"));
  }

  static Arguments bad(String name, Supplier<Object> make, String message) {
    return Arguments.of(name, make, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void invalidValuesAreRejectedWithAMessageNamingTheValue(
      String name, Supplier<Object> make, String message) {
    assertThatThrownBy(make::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void rangesAreWidenedToWholePagesSortedAndMerged() {
    MoveRequest r =
        MoveRequest.basePages(
            P,
            List.of(
                new AddressRange(0x5000, 0x6001),
                new AddressRange(0x1000, 0x3000),
                new AddressRange(0x2000, 0x4000),
                new AddressRange(0x9000, 0x9000)),
            NodeSet.of(1),
            0);
    assertThat(r.ranges())
        .containsExactly(new AddressRange(0x1000, 0x4000), new AddressRange(0x5000, 0x7000));
    assertThat(r.pages()).isEqualTo(5);
    assertThat(r.sizeBytes()).isEqualTo(5 * 4096);
  }

  @Test
  void thpRangesCountFolios() {
    MoveRequest r =
        new MoveRequest(
            P,
            List.of(AddressRange.ofSize(0x20_0000 + 4096, 3L << 20)),
            NodeSet.of(1),
            0,
            MoveRequest.PMD_FOLIO_BYTES);
    assertThat(r.ranges()).containsExactly(new AddressRange(0x20_0000, 0x60_0000));
    assertThat(r.pages()).isEqualTo(2);
  }

  @Test
  void plannedPagesRoundUpToWholePagesAndNeverExceedTheRanges() {
    assertThat(MoveRequest.plannedPages(0, 4096)).isZero();
    assertThat(MoveRequest.plannedPages(4096, 4096)).isEqualTo(1);
    assertThat(MoveRequest.plannedPages(4097, 4096)).as("an estimate's part page").isEqualTo(2);
    assertThat(MoveRequest.plannedPages(3L << 20, MoveRequest.PMD_FOLIO_BYTES)).isEqualTo(2);
    List<AddressRange> tenPages = List.of(AddressRange.ofSize(0x1000, 10 * 4096));
    assertThat(new MoveRequest(P, tenPages, NodeSet.of(1), 0, 4096, 4).plannedPages()).isEqualTo(4);
    assertThat(new MoveRequest(P, tenPages, NodeSet.of(1), 0, 4096, 99).plannedPages())
        .isEqualTo(10);
    assertThat(MoveRequest.basePages(P, tenPages, NodeSet.of(1), 0).plannedPages())
        .as("no cap of its own: every page of the ranges")
        .isEqualTo(10);
  }

  @Test
  void talliesAddUpAndCountBytesOnlyForMovedPages() {
    Tally a =
        new Tally.Builder()
            .add(Outcome.MOVED, 3, 4096)
            .add(Outcome.ENOENT, 2, 4096)
            .add(Outcome.MOVED, 1, 2L << 20)
            .build();
    Tally b = new Tally.Builder().add(Outcome.EBUSY, 5, 4096).build();
    Tally sum = a.plus(b);
    assertThat(sum.totalPages()).isEqualTo(11);
    assertThat(sum.bytesMoved()).isEqualTo(3 * 4096 + (2L << 20));
    assertThat(sum.toString()).isEqualTo("{MOVED=4, EBUSY=5, ENOENT=2} moved=2MiB");
    assertThat(sum).isEqualTo(new Tally.Builder().add(a).add(b).build());
    assertThat(Tally.EMPTY.totalPages()).isZero();
  }

  @Test
  void theDefaultConfigIsTheDocumentedOne() {
    assertThat(MoverConfig.DEFAULT.callBound()).isEqualTo(Duration.ofMillis(20));
    assertThat(MoverConfig.DEFAULT.moveAll()).isFalse();
    assertThat(MoverConfig.DEFAULT.retryBusy()).isTrue();
  }
}
