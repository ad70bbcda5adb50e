package tierd.planner;

import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.process.VmaIndex;

/** A managed process as the planner sees it: its VMAs sorted, each viewed on first use. */
final class ProcessView {

  private final ManagedProcess process;
  private final ProcessId key;
  private final VmaIndex vmas;
  private final VmaView[] views;
  private final NodeTable nodes;
  private final PlannerConfig config;

  ProcessView(ManagedProcess process, NodeTable nodes, PlannerConfig config) {
    this.process = process;
    this.key = new ProcessId(process.pid(), process.startTimeTicks());
    this.vmas = VmaIndex.of(process.vmas());
    this.views = new VmaView[vmas.size()];
    this.nodes = nodes;
    this.config = config;
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
      view = new VmaView(vmas.get(index), process.allowedNodes(), nodes, config);
      views[index] = view;
    }
    return view;
  }
}
