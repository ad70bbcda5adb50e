package tierd.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.mover.MovePagesMover;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.MoverConfig;
import tierd.nativeio.AnonymousMapping;
import tierd.nativeio.Mpol;
import tierd.nativeio.NumaSyscalls;
import tierd.nativeio.SyscallResult;

/**
 * The cost of the native boundary on this host, per call of {@code pages} pages: {@code move_pages}
 * through JNA direct mapping in query mode ({@code nodes == NULL}) and in move mode onto the node
 * the pages already sit on (the kernel walks and checks every page but copies nothing), on memory
 * of this process. {@link #moverOverFake} is the Java side alone: the whole mover (query, classify,
 * batch, settle, tally) over the fake kernel, which costs nothing itself. Run with {@code
 * bench/jmh.sh MoverSyscallBench -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MoverSyscallBench {

  @Param({"1", "64", "4096"})
  public int pages;

  private NumaSyscalls sys;
  private AnonymousMapping buf;
  private long[] addresses;
  private int[] status;
  private int[] sameNode;
  private MovePagesMover mover;
  private List<MoveRequest> requests;

  @Setup(Level.Trial)
  public void setUp() {
    sys = NumaSyscalls.load();
    buf = AnonymousMapping.ofPages(pages).writeAll();
    addresses = new long[pages];
    for (int i = 0; i < pages; i++) {
      addresses[i] = buf.pageAddress(i);
    }
    status = new int[pages];
    SyscallResult r = sys.move_pages(0, addresses, null, status, 0);
    if (r.failed()) {
      throw new IllegalStateException("move_pages query failed: " + r);
    }
    sameNode = status.clone();

    long base = 0x7f00_0000_0000L;
    FakeKernel k = new FakeKernel().addNode(0, 1L << 30).addNode(1, 1L << 30);
    FakeProcess p = k.spawn(100, 1, NodeSet.of(0, 1));
    p.mapAnon(base, pages * 4096L).populate(0);
    mover = new MovePagesMover(k, k, k.ticker(), MoverConfig.DEFAULT.withBatchPages(4096, 4096));
    // Onto the node the pages are on: the fake's state stays the same from call to call.
    requests =
        List.of(
            MoveRequest.basePages(
                new ProcessId(100, 1),
                List.of(AddressRange.ofSize(base, pages * 4096L)),
                NodeSet.of(1),
                0));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    buf.close();
  }

  @Benchmark
  public SyscallResult queryNodes() {
    Arrays.fill(status, Integer.MIN_VALUE);
    return sys.move_pages(0, addresses, null, status, 0);
  }

  @Benchmark
  public SyscallResult moveOntoCurrentNode() {
    Arrays.fill(status, Integer.MIN_VALUE);
    return sys.move_pages(0, addresses, sameNode, status, Mpol.MPOL_MF_MOVE);
  }

  @Benchmark
  public MoveReport moverOverFake() {
    return mover.move(requests);
  }
}
