package tierd.mover;

import java.util.ArrayList;
import java.util.List;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;
import tierd.model.NodeSet;
import tierd.nativeio.Capabilities;
import tierd.nativeio.Errno;
import tierd.nativeio.Mpol;
import tierd.nativeio.NumaSyscalls;
import tierd.nativeio.SyscallResult;
import tierd.source.sys.NodeMasks;

/**
 * Probes once, at start, whether tierd can move pages here (see {@link Capabilities} for the kernel
 * rules). It makes three harmless calls on its own process: {@code move_pages(0, 0, ...)} (refused
 * by a seccomp filter or missing from the kernel?), {@code get_mempolicy(MPOL_F_MEMS_ALLOWED)}
 * (does the NUMA API work?) and reads {@code /proc/self/status} ({@code CapEff}) and {@code
 * /sys/devices/system/node/has_memory} under the injected root. It never touches another process.
 *
 * <p>The decision itself is {@link #assess}, a pure function the tests drive with table rows.
 */
public final class CapabilityProbe {

  private CapabilityProbe() {}

  /** Loads the native layer and probes; a load failure becomes a problem, not an exception. */
  public static Capabilities probe(KernelRoot root) {
    NumaSyscalls sys;
    try {
      sys = NumaSyscalls.load();
    } catch (UnsupportedOperationException | LinkageError e) {
      return assess(
          "native syscalls unavailable (" + e.getMessage() + ")",
          null,
          null,
          readMemoryNodes(root),
          readCapEff(root));
    }
    return probe(root, sys);
  }

  public static Capabilities probe(KernelRoot root, NumaSyscalls sys) {
    SyscallResult self = sys.move_pages(0, new long[0], null, new int[0], 0);
    NumaSyscalls.Policy allowed = sys.get_mempolicy(0, Mpol.MPOL_F_MEMS_ALLOWED);
    return assess(null, self, allowed, readMemoryNodes(root), readCapEff(root));
  }

  /**
   * The decision, from the facts the probe gathered.
   *
   * @param loadFailure why the native layer did not load, or null
   * @param movePagesSelf {@code move_pages(0, 0, NULL, NULL, NULL, 0)}, null if not loaded
   * @param memsAllowed {@code get_mempolicy(MPOL_F_MEMS_ALLOWED)}, null if not loaded
   * @param memoryNodes nodes with memory, null if sysfs could not tell
   * @param capEff effective capabilities, -1 if unknown
   */
  public static Capabilities assess(
      String loadFailure,
      SyscallResult movePagesSelf,
      NumaSyscalls.Policy memsAllowed,
      NodeSet memoryNodes,
      long capEff) {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (loadFailure != null) {
      problems.add(loadFailure);
    }
    if (movePagesSelf != null && movePagesSelf.failed()) {
      switch (movePagesSelf.errno()) {
        case EPERM ->
            problems.add(
                "move_pages is refused with EPERM even on tierd's own process: a seccomp filter"
                    + " blocks it (containers need a profile that allows move_pages, plus"
                    + " --pid=host and CAP_SYS_NICE)");
        case ENOSYS ->
            problems.add("move_pages is not implemented by this kernel (CONFIG_MIGRATION off)");
        default -> problems.add("move_pages on tierd's own process failed: " + movePagesSelf);
      }
    }
    NodeSet allowed = NodeSet.empty();
    if (memsAllowed != null) {
      if (memsAllowed.result().failed()) {
        problems.add(
            memsAllowed.result().errno() == Errno.ENOSYS
                ? "the kernel has no NUMA support (get_mempolicy: ENOSYS)"
                : "get_mempolicy(MPOL_F_MEMS_ALLOWED) failed: " + memsAllowed.result());
      } else {
        allowed = memsAllowed.nodes();
      }
    }
    NodeSet nodes = memoryNodes == null ? NodeSet.empty() : memoryNodes;
    if (memoryNodes == null) {
      problems.add("cannot tell the NUMA nodes with memory (sysfs has no node/has_memory)");
    } else if (memoryNodes.size() < 2) {
      problems.add(
          "only "
              + (memoryNodes.isEmpty() ? "no node" : "node " + memoryNodes)
              + " has memory: there is nothing to tier");
    }
    long caps = Math.max(0, capEff);
    if (capEff < 0) {
      warnings.add("cannot read CapEff from /proc/self/status; assuming no capabilities");
    }
    if ((caps & (1L << Capabilities.CAP_SYS_PTRACE)) == 0) {
      // Without it tierd sees only its own user's processes (ptrace access mode READ_REALCREDS):
      // an unprivileged run is a look, not a service, so it runs dry (issue 6).
      problems.add(
          "unprivileged (no CAP_SYS_PTRACE): tierd can read and move only its own user's"
              + " processes; run it as root or through systemd/tierd.service to move pages");
    }
    if ((caps & (1L << Capabilities.CAP_SYS_NICE)) == 0) {
      warnings.add(
          "no CAP_SYS_NICE: pages shared between processes cannot move (MPOL_MF_MOVE_ALL)");
    }
    boolean canQuery = loadFailure == null && movePagesSelf != null && !movePagesSelf.failed();
    return new Capabilities(canQuery, caps, nodes, allowed, problems, warnings);
  }

  /** {@code CapEff} of {@code /proc/self/status} as bits, or -1 when it cannot be read. */
  static long readCapEff(KernelRoot root) {
    try {
      return parseCapEff(KernelFiles.read(root.proc("self/status")));
    } catch (KernelFsException e) {
      return -1;
    }
  }

  /**
   * The {@code CapEff:} line of {@code /proc/<pid>/status} (fs/proc/array.c {@code render_cap_t}:
   * 16 hex digits). Only that key is read here; the rest of the file is {@code
   * tierd.source.proc.ProcStatus}'s.
   */
  static long parseCapEff(String statusText) {
    List<String> lines = Parse.lines(statusText);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("CapEff:")) {
        return Parse.hex(line.substring("CapEff:".length()).strip(), i + 1, "CapEff");
      }
    }
    throw KernelFsException.malformed(0, "CapEff", "missing key");
  }

  private static NodeSet readMemoryNodes(KernelRoot root) {
    try {
      return NodeMasks.read(root).hasMemory();
    } catch (KernelFsException e) {
      return null;
    }
  }
}
