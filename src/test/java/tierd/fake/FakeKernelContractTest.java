package tierd.fake;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import tierd.model.NodeSet;
import tierd.mover.PagesPortContract;

/** The {@link PagesPortContract} against the fake kernel: two memory nodes, one process. */
class FakeKernelContractTest extends PagesPortContract {

  private static final long PAGE = 4096;
  private static final long BUF = 0x7f00_0000_0000L;

  @Override
  protected Fixture fixture() {
    FakeKernel k = new FakeKernel().addNode(0, 64L << 20).addNode(1, 64L << 20);
    FakeProcess p = k.spawn(4242, 1000, NodeSet.of(0, 1));
    // 60 pages mapped: 0..15 written on node 0, page 20 read only (zero page), page 30 untouched;
    // page 61 lies past the VMA.
    p.mapAnon(BUF, 60 * PAGE).populate(BUF, 16 * PAGE, 0).readOnlyTouch(BUF + 20 * PAGE, PAGE);
    k.spawn(4343, 1001, NodeSet.of(0, 1));
    k.exit(4343);
    return new Fixture(
        k,
        4242,
        LongStream.range(0, 16).map(i -> BUF + i * PAGE).toArray(),
        0,
        BUF + 30 * PAGE,
        OptionalLong.of(BUF + 20 * PAGE),
        BUF + 61 * PAGE,
        2,
        4343,
        OptionalInt.of(1));
  }
}
