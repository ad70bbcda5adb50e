package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.nativeio.Errno;
import tierd.nativeio.Mpol;
import tierd.nativeio.SyscallResult;

/**
 * The contract of {@link PagesPort}, run against the fake kernel ({@code tierd.fake}) and the real
 * one ({@code tierd.nativeio}). What the kernel does is the reference: every expectation here was
 * first observed on Linux 6.18 (and the 6.12 guest) with a C program and the JNA binding.
 *
 * <p>A subclass hands over a {@link Fixture}: a process it owns with a buffer whose pages it has
 * put in known states.
 */
public abstract class PagesPortContract {

  /** Sentinel the tests put in status[] to see which entries the call wrote. */
  protected static final int UNTOUCHED = -999;

  /**
   * @param pid the owner of the buffer (a real pid, not 0)
   * @param presentPages written pages, all on {@code homeNode}
   * @param notPresentPage mapped, never touched
   * @param zeroPage mapped, read but never written, where that mapped the shared zero page (empty
   *     where the kernel mapped a fresh page instead)
   * @param unmappedAddress inside no VMA
   * @param nodeWithoutMemory a valid node id without memory (or not online)
   * @param deadPid a pid that names no process
   * @param otherMemoryNode a second node with memory, if the machine has one
   */
  public record Fixture(
      PagesPort port,
      int pid,
      long[] presentPages,
      int homeNode,
      long notPresentPage,
      OptionalLong zeroPage,
      long unmappedAddress,
      int nodeWithoutMemory,
      int deadPid,
      OptionalInt otherMemoryNode) {}

  protected abstract Fixture fixture();

  private Fixture f;

  @BeforeEach
  void setUpContract() {
    f = fixture();
  }

  static Stream<Arguments> pageStates() {
    return Stream.of(
        row("present page -> its node", fx -> fx.presentPages()[0], Fixture::homeNode),
        row("never-touched page -> -ENOENT", Fixture::notPresentPage, fx -> -Errno.ENOENT.number()),
        row(
            "zero page (read only) -> -EFAULT",
            PagesPortContract::zeroPage,
            fx -> -Errno.EFAULT.number()),
        row("unmapped address -> -EFAULT", Fixture::unmappedAddress, fx -> -Errno.EFAULT.number()));
  }

  private static Arguments row(
      String name, ToLongFunction<Fixture> address, ToIntFunction<Fixture> expectedStatus) {
    return Arguments.of(name, address, expectedStatus);
  }

  @ParameterizedTest(name = "query: {0}")
  @MethodSource("pageStates")
  void queryGivesTheNodeOrANegatedErrnoPerPage(
      String name, ToLongFunction<Fixture> address, ToIntFunction<Fixture> expected) {
    int[] status = untouched(1);
    SyscallResult r = f.port().queryNodes(f.pid(), new long[] {address.applyAsLong(f)}, status);
    assertThat(r).isEqualTo(SyscallResult.ok(0));
    assertThat(status[0]).as(name).isEqualTo(expected.applyAsInt(f));
  }

  @ParameterizedTest(name = "move to home node: {0}")
  @MethodSource("pageStates")
  void moveToTheHomeNodeGivesThePerPageStatusAndSucceeds(
      String name, ToLongFunction<Fixture> address, ToIntFunction<Fixture> expected) {
    int[] status = untouched(1);
    SyscallResult r =
        f.port()
            .movePages(
                f.pid(),
                new long[] {address.applyAsLong(f)},
                new int[] {f.homeNode()},
                status,
                Mpol.MPOL_MF_MOVE);
    assertThat(r).isEqualTo(SyscallResult.ok(0));
    assertThat(status[0]).as(name).isEqualTo(expected.applyAsInt(f));
  }

  @Test
  void queryOfTheWholeBufferReportsEveryPageOnItsHomeNode() {
    int[] status = untouched(f.presentPages().length);
    assertThat(f.port().queryNodes(f.pid(), f.presentPages(), status))
        .isEqualTo(SyscallResult.ok(0));
    assertThat(status).containsOnly(f.homeNode());
  }

  /**
   * The fixture's read-only page, where the kernel mapped the shared zero page for it; the test is
   * skipped where it did not (some hosts map a fresh page on a read fault of private anonymous
   * memory, and that page is just a present page).
   */
  private static long zeroPage(Fixture fx) {
    assumeTrue(
        fx.zeroPage().isPresent(),
        "this kernel mapped a fresh page, not the shared zero page, for a read-only fault");
    return fx.zeroPage().getAsLong();
  }

  @Test
  void aMixedBatchIsSettledPageByPage() {
    // The zero page joins the batch where the kernel mapped it (see zeroPage).
    long[] pages = {f.presentPages()[0], f.notPresentPage(), f.unmappedAddress()};
    int[] expected = {f.homeNode(), -Errno.ENOENT.number(), -Errno.EFAULT.number()};
    if (f.zeroPage().isPresent()) {
      pages =
          LongStream.concat(Arrays.stream(pages), LongStream.of(f.zeroPage().getAsLong()))
              .toArray();
      expected =
          IntStream.concat(Arrays.stream(expected), IntStream.of(-Errno.EFAULT.number())).toArray();
    }
    int[] nodes = new int[pages.length];
    Arrays.fill(nodes, f.homeNode());
    int[] status = untouched(pages.length);
    SyscallResult r = f.port().movePages(f.pid(), pages, nodes, status, Mpol.MPOL_MF_MOVE);
    assertThat(r).isEqualTo(SyscallResult.ok(0));
    assertThat(status).containsExactly(expected);
  }

  @Test
  void aTargetNodeWithoutMemoryFailsWithEnodevAndWritesNoStatus() {
    long[] pages = Arrays.copyOf(f.presentPages(), 2);
    int[] nodes = {f.nodeWithoutMemory(), f.nodeWithoutMemory()};
    int[] status = untouched(2);
    SyscallResult r = f.port().movePages(f.pid(), pages, nodes, status, Mpol.MPOL_MF_MOVE);
    assertThat(r.errno()).isEqualTo(Errno.ENODEV);
    assertThat(r.toString()).isEqualTo("-1 ENODEV(19)");
    assertThat(status).containsOnly(UNTOUCHED);
    assertThat(nodeOf(pages[0])).isEqualTo(f.homeNode());
  }

  @Test
  void aDeadPidFailsWithEsrchForQueryAndMove() {
    long[] pages = {f.presentPages()[0]};
    assertThat(f.port().queryNodes(f.deadPid(), pages, untouched(1)).errno())
        .isEqualTo(Errno.ESRCH);
    assertThat(
            f.port()
                .movePages(
                    f.deadPid(), pages, new int[] {f.homeNode()}, untouched(1), Mpol.MPOL_MF_MOVE)
                .errno())
        .isEqualTo(Errno.ESRCH);
  }

  @Test
  void anUnknownFlagFailsWithEinval() {
    int mpolMfLazy = 1 << 3; // valid for mbind only
    SyscallResult r =
        f.port()
            .movePages(
                f.pid(),
                new long[] {f.presentPages()[0]},
                new int[] {f.homeNode()},
                untouched(1),
                mpolMfLazy);
    assertThat(r.errno()).isEqualTo(Errno.EINVAL);
  }

  @Test
  void nodeIdsOutsideTheNodemaskAreRejectedBeforeTheCall() {
    long[] pages = {f.presentPages()[0]};
    assertThatThrownBy(
            () ->
                f.port().movePages(f.pid(), pages, new int[] {-1}, untouched(1), Mpol.MPOL_MF_MOVE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node id -1 outside [0,1024)");
    assertThatThrownBy(
            () ->
                f.port()
                    .movePages(f.pid(), pages, new int[] {1024}, untouched(1), Mpol.MPOL_MF_MOVE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node id 1024 outside [0,1024)");
  }

  @Test
  void arraysOfDifferentLengthsAreRejectedBeforeTheCall() {
    long[] pages = Arrays.copyOf(f.presentPages(), 2);
    assertThatThrownBy(() -> f.port().queryNodes(f.pid(), pages, untouched(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status has 1 entries for 2 pages");
    assertThatThrownBy(
            () ->
                f.port().movePages(f.pid(), pages, new int[] {0}, untouched(2), Mpol.MPOL_MF_MOVE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodes has 1 entries for 2 pages");
  }

  @Test
  void anEmptyBatchSucceeds() {
    assertThat(f.port().queryNodes(f.pid(), new long[0], new int[0]))
        .isEqualTo(SyscallResult.ok(0));
  }

  @Test
  void pagesMoveToASecondMemoryNodeAndBack() {
    assumeTrue(
        f.otherMemoryNode().isPresent(),
        "needs a second NUMA node with memory; this machine has only node " + f.homeNode());
    int other = f.otherMemoryNode().getAsInt();
    long[] pages = f.presentPages();
    for (int target : new int[] {other, f.homeNode()}) {
      int[] nodes = new int[pages.length];
      Arrays.fill(nodes, target);
      int[] status = untouched(pages.length);
      SyscallResult r = f.port().movePages(f.pid(), pages, nodes, status, Mpol.MPOL_MF_MOVE);
      assertThat(r).as("move to node %d", target).isEqualTo(SyscallResult.ok(0));
      assertThat(status).containsOnly(target);
      int[] now = untouched(pages.length);
      f.port().queryNodes(f.pid(), pages, now);
      assertThat(now).as("placement after the move to %d", target).containsOnly(target);
    }
  }

  private int nodeOf(long address) {
    int[] s = untouched(1);
    f.port().queryNodes(f.pid(), new long[] {address}, s);
    return s[0];
  }

  protected static int[] untouched(int n) {
    int[] s = new int[n];
    Arrays.fill(s, UNTOUCHED);
    return s;
  }
}
