package tierd.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import tierd.daemon.StartupException;
import tierd.model.CpuList;
import tierd.model.NodeSet;
import tierd.nativeio.Errno;
import tierd.nativeio.Mpol;
import tierd.nativeio.SyscallResult;
import tierd.source.proc.ProcStatus;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * What {@code tierd exec} decides and does once the kernel files are read: the nodes to prefer, the
 * policy that the kernel accepts, and the exec with {@code env}'s exit codes.
 *
 * <p>The policy is {@code MPOL_PREFERRED_MANY} (Linux 5.15, commit b27abaccf8e8 "mm/mempolicy: add
 * MPOL_PREFERRED_MANY for multiple preferred nodes"): allocate on the nearest node of the mask
 * while it has free pages above its watermark, then fall back down the zonelist like the default
 * policy. Older kernels reject mode 5 with EINVAL; then the policy is {@code MPOL_PREFERRED} on one
 * node of the mask, the one nearest to the CPUs the caller may run on, and one line on stderr says
 * so.
 */
final class ExecLaunch {

  /** tierd's own failure: a bad option, no node to prefer, a policy the kernel refused (env). */
  static final int EXIT_TIERD = 125;

  /** The command was found but could not be run (env, numactl's wrappers). */
  static final int EXIT_CANNOT_RUN = 126;

  /** The command was not found (env). */
  static final int EXIT_NOT_FOUND = 127;

  private ExecLaunch() {}

  /** The policy that was set: its mode and nodes. */
  record Applied(int mode, NodeSet nodes) {}

  /**
   * The nodes to prefer: {@code requested} (from {@code --nodes}) or else the fastest tier's nodes,
   * kept to memory nodes the caller's cpuset allows ({@code Mems_allowed}). The kernel would
   * silently drop the others (mm/mempolicy.c, {@code mpol_set_nodemask}), or refuse an empty
   * remainder with EINVAL; tierd says which sets did not meet instead.
   *
   * @throws StartupException (exit {@link #EXIT_TIERD}) when nothing is left
   */
  static NodeSet preferredNodes(
      Topology topology, Optional<NodeSet> requested, NodeSet memsAllowed) {
    NodeSet wanted = requested.orElse(topology.topTier());
    NodeSet left = wanted.intersect(topology.nodeIds()).intersect(memsAllowed);
    if (!left.isEmpty()) {
      return left;
    }
    String what =
        requested.isPresent()
            ? "--nodes " + wanted + ": no memory node of these is in the cpuset's Mems_allowed "
            : "the fast tier's nodes " + wanted + " are not in the cpuset's Mems_allowed ";
    throw new StartupException(
        EXIT_TIERD,
        what + memsAllowed + " (memory nodes " + topology.nodeIds() + ")",
        requested.isPresent()
            ? "pass nodes of Mems_allowed that have memory"
            : "run the command in a cpuset that allows a fast node, or pass --nodes");
  }

  /**
   * The node of {@code candidates} nearest (SLIT) to the memory nodes whose CPUs are in {@code
   * cpusAllowed}; ties and an unknown home go to the lowest node id.
   */
  static int nearestNode(Topology topology, NodeSet candidates, CpuList cpusAllowed) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidate node");
    }
    List<NodeInfo> homes =
        topology.nodes().values().stream().filter(n -> n.cpus().intersects(cpusAllowed)).toList();
    int best = -1;
    int bestDistance = Integer.MAX_VALUE;
    for (int candidate : candidates.toArray()) {
      int distance = homes.isEmpty() ? 0 : Integer.MAX_VALUE;
      for (NodeInfo home : homes) {
        distance = Math.min(distance, home.distanceTo(candidate));
      }
      if (best < 0 || distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /**
   * Sets the calling thread's policy through {@code port}: {@code MPOL_PREFERRED_MANY} over {@code
   * nodes}, or on EINVAL (a kernel before 5.15) {@code MPOL_PREFERRED} on the nearest one, with a
   * line on {@code err}.
   *
   * @throws StartupException (exit {@link #EXIT_TIERD}) when the kernel refuses both
   */
  static Applied setPolicy(
      ExecPort port, Topology topology, NodeSet nodes, CpuList cpusAllowed, PrintWriter err) {
    SyscallResult many = port.set_mempolicy(Mpol.MPOL_PREFERRED_MANY, nodes);
    if (!many.failed()) {
      return new Applied(Mpol.MPOL_PREFERRED_MANY, nodes);
    }
    if (many.errno() != Errno.EINVAL) {
      throw refused("MPOL_PREFERRED_MANY", nodes, many);
    }
    int nearest = nearestNode(topology, nodes, cpusAllowed);
    NodeSet one = NodeSet.of(nearest);
    SyscallResult preferred = port.set_mempolicy(Mpol.MPOL_PREFERRED, one);
    if (preferred.failed()) {
      throw refused("MPOL_PREFERRED", one, preferred);
    }
    err.println(
        "tierd exec: this kernel refuses MPOL_PREFERRED_MANY (it needs Linux 5.15): preferring"
            + " node "
            + nearest
            + " only, the one of "
            + nodes
            + " nearest to CPUs "
            + cpusAllowed);
    return new Applied(Mpol.MPOL_PREFERRED, one);
  }

  private static StartupException refused(String mode, NodeSet nodes, SyscallResult r) {
    return new StartupException(
        EXIT_TIERD,
        "set_mempolicy(" + mode + ", " + nodes + ") failed: " + Errno.describe(r.errnoNumber()),
        "the command was not started");
  }

  /**
   * The whole launch after the kernel files are read: the nodes, the policy, the exec. Returns only
   * when the exec failed, with {@code env}'s exit code.
   */
  static int launch(
      ExecPort port,
      Topology topology,
      ProcStatus self,
      Optional<NodeSet> requested,
      List<String> command,
      PrintWriter err) {
    NodeSet nodes = preferredNodes(topology, requested, self.memsAllowed());
    setPolicy(port, topology, nodes, self.cpusAllowed(), err);
    err.flush();
    SyscallResult r = port.execvp(command.get(0), command);
    int code = exitCode(r);
    err.println(
        "tierd exec: "
            + command.get(0)
            + (code == EXIT_NOT_FOUND ? ": command not found" : ": cannot run it")
            + " ("
            + Errno.describe(r.errnoNumber())
            + ")");
    return code;
  }

  /** {@code env}'s exit code for a failed exec: 127 when nothing was found, else 126. */
  static int exitCode(SyscallResult execFailure) {
    if (!execFailure.failed()) {
      throw new IllegalArgumentException("exec returned without an errno: " + execFailure);
    }
    return execFailure.errno() == Errno.ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
  }
}
