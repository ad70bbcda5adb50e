package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tierd.Fixtures;
import tierd.heat.HeatSource;
import tierd.heat.select.Conflict;
import tierd.heat.select.HeatSources;
import tierd.kernelfs.KernelRoot;

/**
 * The "conflicts" stage over the captured 2-node guest, whose kdamond 0 is on: another DAMON user,
 * unless the active heat source says it owns that kdamond ({@link HeatSource#ownKdamonds}).
 */
class ConflictCheckTest {

  private final KernelRoot guest = Fixtures.root("vm-2node");
  private final ConflictCheck check = ConflictCheck.kernel(HeatSources.daemon(guest));

  private static HeatSource owning(Set<Integer> kdamonds) {
    HeatSupervisorTest.ScriptedSource source = new HeatSupervisorTest.ScriptedSource();
    source.kdamonds = kdamonds;
    return source;
  }

  private List<Conflict.Type> types(Optional<HeatSource> active) {
    return check.check(active, List.of()).stream().map(Conflict::type).toList();
  }

  @Test
  void aKdamondNoSourceOwnsIsForeign() {
    assertThat(types(Optional.empty())).containsExactly(Conflict.Type.FOREIGN_DAMON);
    assertThat(types(Optional.of(owning(Set.of(1)))))
        .as("the source owns another kdamond")
        .containsExactly(Conflict.Type.FOREIGN_DAMON);
  }

  @Test
  void theActiveSourcesOwnKdamondIsNoConflict() {
    assertThat(types(Optional.of(owning(Set.of(0))))).isEmpty();
  }

  @Test
  void noneFindsNothing() {
    assertThat(ConflictCheck.NONE.check(Optional.of(owning(Set.of())), List.of())).isEmpty();
  }
}
