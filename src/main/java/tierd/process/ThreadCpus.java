package tierd.process;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.CpuList;
import tierd.model.NodeSet;
import tierd.source.proc.ProcStatus;
import tierd.source.proc.TaskStat;

/**
 * Reads, once per cycle, where the threads of the managed processes ran: each thread's CPU time
 * since the last cycle ({@code utime + stime} of {@code /proc/PID/task/TID/stat}, a thread first
 * seen counts its whole time) on the node of the CPU it last ran on ({@code processor}), and the
 * process's {@code Cpus_allowed_list} from {@code /proc/PID/status}. The result, {@link
 * ProcessCpus} per pid, is what the planner promotes toward (design rule 3).
 *
 * <p>At most {@link #MAX_THREADS} threads are read per process per cycle (the lowest tids: a
 * process's first threads are usually its workers' parents and the cost stays bounded). A process
 * that is gone or whose files are unreadable or malformed is left out: the planner then uses static
 * topology for it. Threads that vanish between the listing and the read are skipped.
 */
public final class ThreadCpus {

  private static final Logger log = LoggerFactory.getLogger(ThreadCpus.class);

  /** Threads read per process per cycle. */
  public static final int MAX_THREADS = 1024;

  private final KernelRoot root;

  /** A process across pid reuse. */
  private record Key(int pid, long startTimeTicks) {}

  /** CPU ticks of each thread at the last read, per process. */
  private Map<Key, Map<Integer, Long>> lastTicks = new HashMap<>();

  public ThreadCpus(KernelRoot root) {
    this.root = root;
  }

  /**
   * Where the threads of {@code processes} ran since the last call, by pid. {@code cpusByNode}:
   * each memory node's CPUs (a CPU on no listed node counts for no node).
   */
  public Map<Integer, ProcessCpus> read(
      List<ManagedProcess> processes, Map<Integer, CpuList> cpusByNode) {
    Map<Integer, Integer> nodeOfCpu = new HashMap<>();
    cpusByNode.forEach((node, cpus) -> cpus.stream().forEach(cpu -> nodeOfCpu.put(cpu, node)));
    Map<Key, Map<Integer, Long>> seen = new HashMap<>();
    Map<Integer, ProcessCpus> out = new HashMap<>();
    for (ManagedProcess process : processes) {
      Key key = new Key(process.pid(), process.startTimeTicks());
      Map<Integer, Long> before = lastTicks.getOrDefault(key, Map.of());
      Map<Integer, Long> now = new HashMap<>();
      try {
        out.put(process.pid(), readProcess(process, nodeOfCpu, before, now));
        seen.put(key, now);
      } catch (KernelFsException e) {
        log.debug("threads of pid {} not read: {}", process.pid(), e.getMessage());
      }
    }
    lastTicks = seen;
    return out;
  }

  private ProcessCpus readProcess(
      ManagedProcess process,
      Map<Integer, Integer> nodeOfCpu,
      Map<Integer, Long> before,
      Map<Integer, Long> now) {
    int pid = process.pid();
    CpuList allowed = ProcStatus.read(root, pid).cpusAllowed();
    Map<Integer, Long> ticksByNode = new HashMap<>();
    Map<Integer, BitSet> lastCpus = new HashMap<>();
    for (int tid : tids(pid)) {
      TaskStat task;
      try {
        task = TaskStat.read(root, pid, tid);
      } catch (KernelFsException e) {
        if (e.kind() == KernelFsException.Kind.ABSENT) {
          continue; // the thread exited since the listing
        }
        throw e;
      }
      now.put(tid, task.cpuTicks());
      long ranTicks = Math.max(0, task.cpuTicks() - before.getOrDefault(tid, 0L));
      Integer node = nodeOfCpu.get(task.processor());
      if (ranTicks == 0 || node == null) {
        continue;
      }
      ticksByNode.merge(node, ranTicks, Long::sum);
      lastCpus.computeIfAbsent(node, n -> new BitSet()).set(task.processor());
    }
    NodeSet allowedNodes = NodeSet.empty();
    for (int cpu : allowed.stream().toArray()) {
      Integer node = nodeOfCpu.get(cpu);
      if (node != null) {
        allowedNodes = allowedNodes.with(node);
      }
    }
    Map<Integer, CpuList> lastCpusByNode = new HashMap<>();
    lastCpus.forEach((node, bits) -> lastCpusByNode.put(node, CpuList.of(bits.stream().toArray())));
    return new ProcessCpus(
        pid, process.startTimeTicks(), allowed, allowedNodes, ticksByNode, lastCpusByNode);
  }

  /** The first {@link #MAX_THREADS} tids of {@code pid}, ascending. */
  private List<Integer> tids(int pid) {
    List<Integer> tids = new ArrayList<>();
    for (String name : KernelFiles.list(root.pid(pid, "task"))) {
      try {
        tids.add(Integer.parseInt(name));
      } catch (NumberFormatException e) {
        // not a thread directory
      }
    }
    tids.sort(null);
    return tids.size() > MAX_THREADS ? tids.subList(0, MAX_THREADS) : tids;
  }
}
