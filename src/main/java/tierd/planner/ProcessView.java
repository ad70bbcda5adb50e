package tierd.planner;

import java.util.Optional;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.process.ProcessCpus;
import tierd.process.VmaIndex;

/**
 * A managed process as the planner sees it: its VMAs sorted, each viewed on first use, and the node
 * its threads ran on most ({@link ProcessCpus#accessor}), which its promotions go nearest to.
 */
final class ProcessView {

  private final ManagedProcess process;
  private final ProcessId key;
  private final VmaIndex vmas;
  private final VmaView[] views;
  private final NodeTable nodes;
  private final PlannerConfig config;
  private final Optional<ProcessCpus.Accessor> accessor;
  private final int accessorNode;

  ProcessView(ManagedProcess process, NodeTable nodes, PlannerConfig config) {
    this(process, Optional.empty(), nodes, config);
  }

  /**
   * The view of {@code process} whose threads ran as {@code cpus} says (ignored when its start time
   * is another process's: the pid was reused).
   */
  ProcessView(
      ManagedProcess process, Optional<ProcessCpus> cpus, NodeTable nodes, PlannerConfig config) {
    this.process = process;
    this.key = new ProcessId(process.pid(), process.startTimeTicks());
    this.vmas = VmaIndex.of(process.vmas());
    this.views = new VmaView[vmas.size()];
    this.nodes = nodes;
    this.config = config;
    Optional<ProcessCpus.Accessor> ran =
        cpus.filter(c -> c.startTimeTicks() == process.startTimeTicks())
            .flatMap(ProcessCpus::accessor)
            .filter(a -> nodes.slotOf(a.node()) != nodes.noTierSlot);
    this.accessor = ran;
    this.accessorNode = ran.map(a -> nodes.slotOf(a.node())).orElse(-1);
  }

  /** Where its threads ran most, when known and on a node of the table. */
  Optional<ProcessCpus.Accessor> accessor() {
    return accessor;
  }

  /** The node index of {@link #accessor}, or -1 when none is known. */
  int accessorNode() {
    return accessorNode;
  }

  ManagedProcess process() {
    return process;
  }

  int pid() {
    return process.pid();
  }

  long startTimeTicks() {
    return process.startTimeTicks();
  }

  ProcessId key() {
    return key;
  }

  /** Its VMAs by start. */
  VmaIndex vmas() {
    return vmas;
  }

  /** The view of the {@code index}-th VMA by start. */
  VmaView vma(int index) {
    VmaView view = views[index];
    if (view == null) {
      view = new VmaView(vmas.get(index), process.allowedNodes(), accessorNode, nodes, config);
      views[index] = view;
    }
    return view;
  }
}
