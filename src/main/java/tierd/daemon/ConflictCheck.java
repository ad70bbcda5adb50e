package tierd.daemon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tierd.heat.HeatSource;
import tierd.heat.SourceKind;
import tierd.heat.select.Conflict;
import tierd.heat.select.HeatSources;
import tierd.heat.select.SourceConflicts;
import tierd.process.ManagedProcess;

/** Reads conflicts with other users of the kernel mechanisms tierd uses: the "conflicts" stage. */
@FunctionalInterface
public interface ConflictCheck {

  /**
   * @param active the heat source tierd runs now: its own kdamonds are not a conflict
   * @param processes the managed processes (an accessed-bit source watches these)
   */
  List<Conflict> check(Optional<HeatSource> active, Collection<ManagedProcess> processes);

  ConflictCheck NONE = (active, processes) -> List.of();

  /**
   * The kernel's conflicts: its tiering knobs, other DAMON users (kdamonds the active source does
   * not own), accessed-bit clearers.
   */
  static ConflictCheck kernel(HeatSources.Env env) {
    return (active, processes) -> {
      List<SourceConflicts.ActiveSource> sources = new ArrayList<>();
      if (active.isPresent()) {
        SourceKind kind;
        try {
          kind = SourceKind.ofLabel(active.get().name());
        } catch (IllegalArgumentException e) {
          kind = null;
        }
        if (kind != null) {
          Set<Integer> pids = new HashSet<>();
          processes.forEach(p -> pids.add(p.pid()));
          sources.add(new SourceConflicts.ActiveSource(kind, pids));
        }
      }
      Set<Integer> ownKdamonds = active.map(HeatSource::ownKdamonds).orElse(Set.of());
      return SourceConflicts.read(env.root(), env.damonFs(), ownKdamonds, sources);
    };
  }
}
