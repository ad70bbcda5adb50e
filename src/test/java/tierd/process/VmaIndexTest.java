package tierd.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.planner.Fixtures;

class VmaIndexTest {

  static final long PAGE = 4096;

  static Vma vma(long startPage, long pages) {
    return Fixtures.vma(startPage * PAGE, pages * PAGE, MemPolicy.DEFAULT, Map.of());
  }

  /** The VMAs a walk from {@code firstEndingAfter} visits for {@code [start, end)} pages. */
  static List<Vma> walk(VmaIndex index, long startPage, long endPage) {
    List<Vma> out = new ArrayList<>();
    for (int i = index.firstEndingAfter(startPage * PAGE);
        i < index.size() && index.get(i).range().start() < endPage * PAGE;
        i++) {
      out.add(index.get(i));
    }
    return out;
  }

  @Test
  void vmasAreSortedByStartAndFoundByBinarySearch() {
    Vma a = vma(10, 10); // [10, 20)
    Vma b = vma(20, 5); // [20, 25)
    Vma c = vma(40, 10); // [40, 50)
    VmaIndex index = VmaIndex.of(List.of(c, a, b));
    assertThat(index.disjoint()).isTrue();
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.get(0)).isEqualTo(a);
    assertThat(index.firstEndingAfter(0)).isZero();
    assertThat(index.firstEndingAfter(19 * PAGE)).isZero();
    assertThat(index.firstEndingAfter(20 * PAGE)).isEqualTo(1);
    assertThat(index.firstEndingAfter(30 * PAGE)).isEqualTo(2);
    assertThat(index.firstEndingAfter(50 * PAGE)).isEqualTo(3);
    assertThat(walk(index, 15, 41)).containsExactly(a, b, c);
    assertThat(walk(index, 25, 40)).as("in the gap").isEmpty();
    assertThat(walk(index, 22, 23)).containsExactly(b);
  }

  @Test
  void aWalkOfRisingAddressesSearchesOnFromWhereItWas() {
    VmaIndex index = VmaIndex.of(List.of(vma(10, 10), vma(20, 5), vma(40, 10)));
    int from = 0;
    for (long page = 0; page < 60; page += 3) {
      from = index.firstEndingAfter(page * PAGE, from);
      assertThat(from).as("page %d", page).isEqualTo(index.firstEndingAfter(page * PAGE));
    }
  }

  @Test
  void overlappingVmasAreWalkedFromTheFirst() {
    Vma wide = vma(0, 100);
    Vma inside = vma(10, 5);
    VmaIndex index = VmaIndex.of(List.of(inside, wide));
    assertThat(index.disjoint()).isFalse();
    assertThat(index.firstEndingAfter(50 * PAGE)).isZero();
    assertThat(index.firstEndingAfter(50 * PAGE, 1)).isZero();
    assertThat(walk(index, 50, 60)).containsExactly(wide, inside);
  }

  @Test
  void noVmasNoWalk() {
    VmaIndex index = VmaIndex.of(List.of());
    assertThat(index.size()).isZero();
    assertThat(walk(index, 0, 10)).isEmpty();
  }
}
