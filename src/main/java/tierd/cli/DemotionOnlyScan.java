package tierd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tierd.config.TierdConfig;
import tierd.daemon.DemotionOnlyPlacement;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;

/**
 * The part of {@code tierd scan} about the demotion-only nodes ({@code planner.nodes.N}): per node,
 * the bytes of managed processes there that tierd did not demote there, and the processes with the
 * most. What tierd demoted comes from the running daemon's state file in the runtime directory;
 * without one (no daemon, or it moved nothing yet) every byte there counts as not demoted by tierd,
 * and the report says so.
 *
 * @param daemonState whether the daemon's record of its demotions was found
 * @param nodes one entry per demotion-only node
 */
record DemotionOnlyScan(
    boolean daemonState, String stateFile, List<DemotionOnlyPlacement.NodeReport> nodes) {

  /** The report for the config's demotion-only nodes, or empty when it has none. */
  static Optional<DemotionOnlyScan> of(TierdConfig config, List<ManagedProcess> processes) {
    var demotionOnly = config.stages().planner().demotionOnly();
    if (demotionOnly.isEmpty()) {
      return Optional.empty();
    }
    NodeSet nodes = NodeSet.of(demotionOnly.keySet());
    Path state = config.runtimeDirectory().resolve(DemotionOnlyPlacement.STATE_FILE);
    String text;
    try {
      text = Files.readString(state);
    } catch (java.io.IOException e) {
      text = null;
    }
    DemotionOnlyPlacement placement =
        text == null
            ? new DemotionOnlyPlacement(nodes)
            : DemotionOnlyPlacement.fromState(nodes, text);
    return Optional.of(
        new DemotionOnlyScan(text != null, state.toString(), placement.report(processes)));
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    for (DemotionOnlyPlacement.NodeReport node : nodes) {
      sb.append("Demotion-only node ")
          .append(node.node())
          .append(": ")
          .append(DataSize.human(node.foreignBytes()))
          .append(" not demoted there by tierd")
          .append(daemonState ? "" : " (no record of tierd's demotions in " + stateFile + ")")
          .append('\n');
      if (!node.topOffenders().isEmpty()) {
        Table t = new Table("PID", "COMM", "ON NODE", "BY TIERD", "NOT BY TIERD");
        for (DemotionOnlyPlacement.Offender o : node.topOffenders()) {
          t.row(
              o.pid(),
              o.comm(),
              DataSize.human(o.onNodeBytes()),
              DataSize.human(o.placedByTierdBytes()),
              DataSize.human(o.foreignBytes()));
        }
        sb.append(t).append('\n');
      }
    }
    return sb.toString();
  }
}
