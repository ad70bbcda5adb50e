package tierd.nativeio;

import java.util.List;
import java.util.Optional;
import tierd.model.NodeSet;

/**
 * What this process may do to other processes' memory, probed once at start by {@link
 * tierd.mover.CapabilityProbe}. The daemon moves pages only when {@link #canMovePages()}; otherwise
 * it runs dry and logs {@link #dryRunReason()} once.
 *
 * <p>The rules behind the fields (man2/move_pages.2, fs/proc/base.c, kernel/ptrace.c):
 *
 * <ul>
 *   <li>reading {@code /proc/<pid>/numa_maps} and calling {@code move_pages} on a pid both need
 *       ptrace access in mode {@code PTRACE_MODE_READ_REALCREDS} (since 4.13): the same uid, or
 *       CAP_SYS_PTRACE ({@link #CAP_SYS_PTRACE}); Yama's ptrace_scope restricts only attach mode,
 *       so it does not matter here, but an LSM may still refuse single processes (EPERM, counted
 *       per process by the mover);
 *   <li>{@code MPOL_MF_MOVE_ALL} (pages shared with other processes) needs CAP_SYS_NICE ({@link
 *       #CAP_SYS_NICE});
 *   <li>a seccomp filter (the default container profile) refuses {@code move_pages} with EPERM
 *       whatever the capabilities; a kernel without CONFIG_NUMA/CONFIG_MIGRATION answers ENOSYS;
 *   <li>tiering needs at least two nodes with memory.
 * </ul>
 *
 * @param canQuery the native layer loaded and {@code move_pages} on tierd's own process was not
 *     refused: a dry run can still ask the kernel where pages are
 * @param capEff the effective capability bits ({@code CapEff} of {@code /proc/self/status})
 * @param memoryNodes nodes with memory ({@code /sys/devices/system/node/has_memory})
 * @param memsAllowed this process's own allowed nodes ({@code get_mempolicy(MPOL_F_MEMS_ALLOWED)});
 *     empty if the call failed
 * @param problems reasons tierd cannot move pages at all; empty when it can
 * @param warnings limits that leave moving possible (no CAP_SYS_PTRACE, no CAP_SYS_NICE)
 */
public record Capabilities(
    boolean canQuery,
    long capEff,
    NodeSet memoryNodes,
    NodeSet memsAllowed,
    List<String> problems,
    List<String> warnings) {

  public static final int CAP_SYS_PTRACE = 19;
  public static final int CAP_SYS_ADMIN = 21;
  public static final int CAP_SYS_NICE = 23;

  public Capabilities {
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  public boolean has(int capability) {
    return capability >= 0 && capability < 64 && (capEff & (1L << capability)) != 0;
  }

  /** True when the daemon may move pages; false means dry-run. */
  public boolean canMovePages() {
    return problems.isEmpty();
  }

  /** May pass MPOL_MF_MOVE_ALL (CAP_SYS_NICE). */
  public boolean canMoveShared() {
    return has(CAP_SYS_NICE);
  }

  /** The one message the daemon logs when it falls back to dry-run. */
  public Optional<String> dryRunReason() {
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("page moves disabled, running dry: " + String.join("; ", problems));
  }
}
