package tierd.process;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tierd.model.CpuList;
import tierd.model.NodeSet;

/**
 * Where a process's threads ran between two cycles, by node: the CPU time ({@code utime + stime}
 * deltas, clock ticks) of each thread, put on the node of the CPU it last ran on, and the CPUs they
 * last ran on per node. {@code cpusAllowed} is the process's {@code Cpus_allowed_list} and {@code
 * allowedCpuNodes} the nodes those CPUs belong to.
 *
 * <p>The {@link #accessor} is the node that ran most of the CPU time, when one node ran more than
 * any other; with no CPU time seen (an idle process, or the first sight of a quiet one), the node
 * of the allowed CPUs when they all lie on one node; else none, and the planner falls back to
 * static topology (design rule 3).
 */
public record ProcessCpus(
    int pid,
    long startTimeTicks,
    CpuList cpusAllowed,
    NodeSet allowedCpuNodes,
    Map<Integer, Long> cpuTicksByNode,
    Map<Integer, CpuList> lastCpusByNode) {

  /**
   * The node nearest to which the process's data should be promoted, and why: {@code cpus} are the
   * CPUs of that node its threads last ran on (or the allowed CPUs, when no time was seen), {@code
   * share} the part of the process's CPU time that ran there (1 for the allowed-CPU fallback).
   */
  public record Accessor(int node, CpuList cpus, double share) {}

  public ProcessCpus {
    cpuTicksByNode = Collections.unmodifiableMap(new TreeMap<>(cpuTicksByNode));
    lastCpusByNode = Collections.unmodifiableMap(new TreeMap<>(lastCpusByNode));
  }

  /** CPU time seen over all nodes, in clock ticks. */
  public long cpuTicks() {
    long sum = 0;
    for (long ticks : cpuTicksByNode.values()) {
      sum += ticks;
    }
    return sum;
  }

  /** The node that ran most of the CPU time (see the class comment), if one is known. */
  public Optional<Accessor> accessor() {
    long total = cpuTicks();
    if (total == 0) {
      return allowedCpuNodes.size() == 1
          ? Optional.of(new Accessor(allowedCpuNodes.first(), cpusAllowed, 1.0))
          : Optional.empty();
    }
    int busiest = -1;
    long most = 0;
    boolean tie = false;
    for (var e : cpuTicksByNode.entrySet()) {
      if (e.getValue() > most) {
        busiest = e.getKey();
        most = e.getValue();
        tie = false;
      } else if (e.getValue() == most) {
        tie = true;
      }
    }
    if (tie) {
      return Optional.empty();
    }
    return Optional.of(
        new Accessor(
            busiest, lastCpusByNode.getOrDefault(busiest, CpuList.empty()), most / (double) total));
  }
}
