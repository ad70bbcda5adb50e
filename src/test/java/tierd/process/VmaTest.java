package tierd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.source.proc.NumaMaps;

class VmaTest {

  private static final AddressRange RANGE = AddressRange.ofSize(0x7f0000000000L, 64 << 20);

  @Test
  void presentPagesIsTheSumOverNodesWhicheverConstructorBuiltIt() {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    perNode.put(0, 300L);
    perNode.put(2, 12L);
    Vma allActive =
        new Vma(
            RANGE,
            "rw-p",
            "",
            MemPolicy.DEFAULT,
            NumaMaps.Backing.ANON,
            false,
            4096,
            312,
            1,
            perNode);
    Vma someActive =
        new Vma(
            RANGE,
            "rw-p",
            "",
            MemPolicy.DEFAULT,
            NumaMaps.Backing.ANON,
            false,
            4096,
            312,
            1,
            perNode,
            40);
    assertThat(allActive.presentPages()).isEqualTo(312);
    assertThat(allActive.activePages()).isEqualTo(312);
    assertThat(someActive.presentPages()).isEqualTo(312);
    assertThat(someActive.presentBytes()).isEqualTo(312L * 4096);
    assertThat(someActive)
        .isEqualTo(
            new Vma(
                RANGE,
                "rw-p",
                "",
                MemPolicy.DEFAULT,
                NumaMaps.Backing.ANON,
                false,
                4096,
                312,
                1,
                perNode,
                40,
                312));
  }

  @Test
  void aPresentPageCountThatIsNotTheSumIsRefused() {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    perNode.put(1, 5L);
    assertThatThrownBy(
            () ->
                new Vma(
                    RANGE,
                    "rw-p",
                    "",
                    MemPolicy.DEFAULT,
                    NumaMaps.Backing.ANON,
                    false,
                    4096,
                    5,
                    1,
                    perNode,
                    5,
                    6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("presentPages 6");
  }
}
