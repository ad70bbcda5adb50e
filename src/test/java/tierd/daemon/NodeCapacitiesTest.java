package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.kernelfs.KernelRoot;
import tierd.mover.NodeRoom;
import tierd.planner.CapacitySource;

/**
 * Live capacity of demotion-only nodes on a copy of the 3-node VM tree (node 2: 1031836 kB total,
 * 1005796 kB free and 708 free pages on CPU 1's list of its zone, so 26040 - 2832 = 23208 kB held),
 * and the mover's room check with it.
 */
class NodeCapacitiesTest {

  static final long HELD_ON_NODE_2 = 23208L * 1024;

  @TempDir Path tmp;
  KernelRoot root;
  Path capacityFile;

  @BeforeEach
  void tree() throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), tmp.resolve("root"));
    root = KernelRoot.under(tmp.resolve("root"));
    capacityFile = tmp.resolve("usable_bytes");
  }

  NodeCapacities fromFile() {
    return new NodeCapacities(root, Map.of(2, new CapacitySource.FromFile(capacityFile)));
  }

  @Test
  void aFileIsReadAfreshEachTime() throws IOException {
    NodeCapacities capacities = fromFile();
    Files.writeString(capacityFile, "536870912\n");
    assertThat(capacities.bytes(2)).hasValue(512L << 20);
    Files.writeString(capacityFile, "134217728\n");
    assertThat(capacities.readAll()).isEqualTo(Map.of(2, 128L << 20));
  }

  @Test
  void aSysfsPathIsReadUnderTheRoot() throws IOException {
    Path attr = tmp.resolve("root/sys/bus/cxl/devices/mem0/usable_bytes");
    Files.createDirectories(attr.getParent());
    Files.writeString(attr, "1048576\n");
    NodeCapacities capacities =
        new NodeCapacities(
            root,
            Map.of(
                2, new CapacitySource.FromFile(Path.of("/sys/bus/cxl/devices/mem0/usable_bytes"))));
    assertThat(capacities.bytes(2)).hasValue(1L << 20);
  }

  @Test
  void aStaticSizeAndANodeThatIsNotDemotionOnly() {
    NodeCapacities capacities =
        new NodeCapacities(root, Map.of(2, new CapacitySource.Fixed(1L << 30)));
    assertThat(capacities.bytes(2)).hasValue(1L << 30);
    assertThat(capacities.bytes(0)).isEmpty();
    assertThat(capacities.demotionOnly(0)).isFalse();
  }

  @Test
  void aMissingOrMalformedFileGivesNoCapacity() throws IOException {
    NodeCapacities capacities = fromFile();
    assertThat(capacities.bytes(2)).as("missing").isEmpty();
    Files.writeString(capacityFile, "lots\n");
    assertThat(capacities.bytes(2)).as("not a number").isEmpty();
    assertThat(capacities.readAll()).isEmpty();
  }

  static Stream<Arguments> badTexts() {
    return Stream.of(
        Arguments.of("a word", "lots", "got 'lots'"),
        Arguments.of("negative", "-5", "got '-5'"),
        Arguments.of("a unit", "512MiB", "got '512MiB'"),
        Arguments.of("empty", "\n", "got ''"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTexts")
  void aBadFileNamesTheKeyAndTheFile(String name, String text, String got) {
    assertThatThrownBy(() -> NodeCapacities.parse(text, "planner.nodes.2.capacityFile /x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("planner.nodes.2.capacityFile /x: expected usable bytes")
        .hasMessageContaining(got);
  }

  @Test
  void theMoversRoomStopsAtTheCapacityLeftAndFollowsItWhenItShrinks() throws IOException {
    NodeRoom plenty = node -> 1L << 40;
    DemotionOnlyRoom room = new DemotionOnlyRoom(plenty, fromFile(), new NodeFreeNow(root, 4096));
    Files.writeString(capacityFile, Long.toString(HELD_ON_NODE_2 + (64L << 20)));
    assertThat(room.bytesAvailable(2)).isEqualTo(64L << 20);
    Files.writeString(capacityFile, Long.toString(HELD_ON_NODE_2 - (8L << 20)));
    assertThat(room.bytesAvailable(2)).as("shrunk below what it holds").isEqualTo(-(8L << 20));
    assertThat(room.bytesAvailable(0)).as("other nodes: the inner room").isEqualTo(1L << 40);
  }

  @Test
  void theInnerRoomStillBoundsADemotionOnlyNode() throws IOException {
    DemotionOnlyRoom room =
        new DemotionOnlyRoom(node -> 1L << 20, fromFile(), new NodeFreeNow(root, 4096));
    Files.writeString(capacityFile, Long.toString(HELD_ON_NODE_2 + (64L << 20)));
    assertThat(room.bytesAvailable(2)).isEqualTo(1L << 20);
  }

  @Test
  void anUnknownCapacityLeavesNoRoom() {
    DemotionOnlyRoom room =
        new DemotionOnlyRoom(node -> 1L << 40, fromFile(), new NodeFreeNow(root, 4096));
    assertThat(room.bytesAvailable(2)).isZero();
  }

  @Test
  void theNodeHoldsItsMeminfosUsedBytesLessItsPerCpuFreePages() throws IOException {
    NodeFreeNow freeNow = new NodeFreeNow(root, 4096);
    assertThat(freeNow.freeBytes(2)).isEqualTo((1005796L + 708 * 4) * 1024);
    assertThat(freeNow.heldBytes(2)).isEqualTo(HELD_ON_NODE_2);
    Files.delete(tmp.resolve("root/proc/zoneinfo"));
    assertThat(freeNow.heldBytes(2)).as("no zoneinfo: meminfo alone").isEqualTo(26040L * 1024);
  }
}
