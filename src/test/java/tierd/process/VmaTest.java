package tierd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.PerNode;
import tierd.source.proc.NumaMaps;

class VmaTest {

  private static final AddressRange RANGE = AddressRange.ofSize(0x7f0000000000L, 64 << 20);

  /** An anonymous, private VMA of {@link #RANGE} with 4 KiB pages and the given counts. */
  private static Vma anon(SortedMap<Integer, Long> perNode, long... activeAndPresent) {
    String perms = "rw-p";
    MemPolicy p = MemPolicy.DEFAULT;
    NumaMaps.Backing b = NumaMaps.Backing.ANON;
    long anon = perNode.values().stream().mapToLong(Long::longValue).sum();
    return switch (activeAndPresent.length) {
      case 0 -> new Vma(RANGE, perms, "", p, b, false, 4096, anon, 1, perNode);
      case 1 -> new Vma(RANGE, perms, "", p, b, false, 4096, anon, 1, perNode, activeAndPresent[0]);
      default ->
          new Vma(
              RANGE,
              perms,
              "",
              p,
              b,
              false,
              4096,
              anon,
              1,
              PerNode.of(perNode),
              activeAndPresent[0],
              activeAndPresent[1],
              true);
    };
  }

  @Test
  void presentPagesIsTheSumOverNodesWhicheverConstructorBuiltIt() {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    perNode.put(0, 300L);
    perNode.put(2, 12L);
    Vma allActive = anon(perNode);
    Vma someActive = anon(perNode, 40);
    assertThat(allActive.presentPages()).isEqualTo(312);
    assertThat(allActive.activePages()).isEqualTo(312);
    assertThat(someActive.presentPages()).isEqualTo(312);
    assertThat(someActive.presentBytes()).isEqualTo(312L * 4096);
    assertThat(someActive).isEqualTo(anon(perNode, 40, 312));
  }

  @Test
  void thpEligibleIsTrueUnlessSetAndChangesNothingElse() {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    perNode.put(0, 300L);
    Vma unknown = anon(perNode, 40);
    assertThat(unknown.thpEligible()).isTrue();
    assertThat(unknown.withThpEligible(true)).isSameAs(unknown);
    Vma noHugepage = unknown.withThpEligible(false);
    assertThat(noHugepage.thpEligible()).isFalse();
    assertThat(noHugepage.withThpEligible(true)).isEqualTo(unknown);
  }

  @Test
  void aPresentPageCountThatIsNotTheSumIsRefused() {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    perNode.put(1, 5L);
    assertThatThrownBy(() -> anon(perNode, 5, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("presentPages 6");
  }

  @Test
  void pagesPerNodeIsAFreshMapOfThePages() {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    perNode.put(0, 3L);
    perNode.put(1, 0L); // numa_maps never prints N1=0; a zero count is not kept
    Vma v = anon(perNode);
    assertThat(v.pagesPerNode()).isEqualTo(java.util.Map.of(0, 3L));
    assertThat(v.pages().countOn(0)).isEqualTo(3);
    assertThat(v.bytesOn(0)).isEqualTo(3L * 4096);
    assertThat(v.nodes()).isEqualTo(tierd.model.NodeSet.of(0));
  }

  @Test
  void aSpanHoldsItsShareOfEachNodesPagesInWholePages() {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    perNode.put(0, 4096L); // a quarter of the 64 MiB VMA's 16384 pages
    perNode.put(1, 3L);
    perNode.put(2, 1000L);
    Vma v = anon(perNode);
    long quarter = (64 << 20) / 4;
    // a quarter: 1024 pages, 0.75 round to 1, 250
    assertThat(v.estimatedBytes(quarter).toMap())
        .isEqualTo(java.util.Map.of(0, 1024L * 4096, 1, 4096L, 2, 250L * 4096));
    // a hundredth: node 1's 0.03 pages round to none and are left out
    assertThat(v.estimatedBytes((64 << 20) / 100).toMap()).doesNotContainKey(1);
    assertThat(v.estimatedBytes(64 << 20).toMap())
        .isEqualTo(java.util.Map.of(0, 4096L * 4096, 1, 3L * 4096, 2, 1000L * 4096));
    // one count at a time gives the same, without building the map
    for (int i = 0; i < v.pages().size(); i++) {
      assertThat(v.bytesInShare(v.pages().count(i), v.shareOf(quarter)))
          .isEqualTo(v.estimatedBytes(quarter).countOn(v.pages().node(i)));
    }
    assertThat(v.shareOf(quarter)).isEqualTo(0.25);
    assertThat(v.bytesInShare(3 + 1000, 0.25)).as("summed counts").isEqualTo(251L * 4096);
  }
}
