package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tierd.fake.FakeKernel;
import tierd.model.AddressRange;
import tierd.model.NodeSet;

/** Bytes per node of a range's present pages, from move_pages queries over the fake kernel. */
class PlacementQueryTest {

  static final long PAGE = 4096;
  static final long MIB = 1L << 20;
  static final long BASE = 0x7f0000000000L;

  @Test
  void presentPagesCountOnTheirNodeAndAbsentOnesOnNone() {
    FakeKernel kernel = new FakeKernel().addNode(0, 512 * MIB).addNode(1, 512 * MIB);
    kernel
        .spawn(10, 100, NodeSet.of(0, 1))
        .mapAnon(BASE, 4 * MIB)
        .populate(BASE, MIB, 0)
        .populate(BASE + MIB, 2 * MIB, 1); // the last MiB never faulted in

    Optional<Map<Integer, Long>> bytes =
        new PlacementQuery(kernel).bytesPerNode(10, AddressRange.ofSize(BASE, 4 * MIB), PAGE);

    assertThat(bytes).contains(Map.of(0, MIB, 1, 2 * MIB));
  }

  @Test
  void aRangeLongerThanOneBatchIsQueriedWhole() {
    long pages = PlacementQuery.BATCH * 2L + 17;
    FakeKernel kernel = new FakeKernel().addNode(0, 512 * MIB).addNode(1, 512 * MIB);
    kernel
        .spawn(10, 100, NodeSet.of(0, 1))
        .mapAnon(BASE, pages * PAGE)
        .populate(BASE, PAGE, 0)
        .populate(BASE + PAGE, (pages - 1) * PAGE, 1);

    Optional<Map<Integer, Long>> bytes =
        new PlacementQuery(kernel).bytesPerNode(10, AddressRange.ofSize(BASE, pages * PAGE), PAGE);

    assertThat(bytes).contains(Map.of(0, PAGE, 1, (pages - 1) * PAGE));
  }

  @Test
  void anEmptyAnswerIsRealAndAGoneProcessIsNone() {
    FakeKernel kernel = new FakeKernel().addNode(0, 512 * MIB);
    kernel.spawn(10, 100, NodeSet.of(0)).mapAnon(BASE, MIB);
    PlacementQuery query = new PlacementQuery(kernel);
    AddressRange range = AddressRange.ofSize(BASE, MIB);

    assertThat(query.bytesPerNode(10, range, PAGE)).contains(Map.of());
    kernel.exit(10);
    assertThat(query.bytesPerNode(10, range, PAGE)).isEmpty();
  }
}
