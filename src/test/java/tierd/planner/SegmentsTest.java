package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.scoring.ScoredRegion;

class SegmentsTest {

  static final NodeTable BOX = new NodeTable(Fixtures.roomyBox(), PlannerConfig.defaults());

  static Segments segments(List<ScoredRegion> regions) {
    PlanInput input =
        Fixtures.input(
            Fixtures.roomyBox(),
            List.of(
                process(3, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB)))),
                process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB))))),
            regions);
    return new Segments(input, BOX, PlannerConfig.defaults());
  }

  @Test
  void regionsAreSortedByPidAndStartAndProcessesFoundByPid() {
    ScoredRegion a = hot(3, BASE, MiB, 0.9);
    ScoredRegion b = cold(1, BASE + MiB, MiB, Duration.ofMinutes(1));
    ScoredRegion c = cold(1, BASE, MiB, Duration.ofMinutes(1));
    Segments segments = segments(List.of(a, b, c));
    assertThat(segments.regions()).containsExactly(c, b, a);
    assertThat(segments.processIndexOf(3)).isZero();
    assertThat(segments.processAt(segments.processIndexOf(1)).pid()).isEqualTo(1);
    assertThat(segments.processIndexOf(2)).isEqualTo(-1);
    List<ScoredRegion> sorted = List.of(c, b, a);
    assertThat(segments(sorted).regions()).as("sorted input is kept").isSameAs(sorted);
  }

  @Test
  void segmentsKeepTheirFieldsAsTheArraysGrow() {
    Segments segments = segments(List.of(hot(1, BASE, 64 * MiB, 0.75)));
    long[] row = new long[BOX.rowWidth];
    for (int i = 0; i < 100; i++) {
      row[2] = i * 4096L;
      row[BOX.noTierSlot] = 7;
      int processIndex = segments.processIndexOf(1);
      assertThat(segments.add(processIndex, 0, 0, BASE + i * MiB, BASE + (i + 1) * MiB, row))
          .isEqualTo(i);
    }
    assertThat(segments.count()).isEqualTo(100);
    assertThat(segments.range(57)).isEqualTo(new AddressRange(BASE + 57 * MiB, BASE + 58 * MiB));
    assertThat(segments.bytes(57, 2)).isEqualTo(57 * 4096L);
    assertThat(segments.bytes(57, BOX.noTierSlot)).isEqualTo(7);
    assertThat(segments.heat(99)).isEqualTo(0.75);
    assertThat(segments.cold(99)).isFalse();
    assertThat(segments.process(99).pid()).isEqualTo(1);
    assertThat(segments.vma(99).unitBytes()).isEqualTo(2 * MiB);
    // all its bytes fit: the whole segment; less than one 2 MiB unit of its range: nothing
    assertThat(segments.fit(3, 4 * MiB, 4 * MiB)).isEqualTo(new Cut(BASE + 4 * MiB, 4 * MiB));
    assertThat(segments.fit(3, 4 * MiB, 2 * MiB)).isNull();
  }
}
