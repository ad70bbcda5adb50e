package tierd.cli;

import java.util.List;
import tierd.model.NodeSet;
import tierd.nativeio.SyscallResult;

/**
 * The two calls {@code tierd exec} makes, on the calling thread and in this order: the seam between
 * its decisions ({@link ExecLaunch}) and the kernel. Tests pass a fake that records the calls and
 * answers with chosen errnos; {@link KernelExecPort} is the real one.
 */
interface ExecPort {

  /** {@code set_mempolicy(mode, nodes)} for the calling thread. */
  SyscallResult set_mempolicy(int mode, NodeSet nodes);

  /**
   * Replaces the process image with {@code file} run with {@code argv} ({@code execvp(3)}, PATH
   * searched). Returns only on failure.
   */
  SyscallResult execvp(String file, List<String> argv);
}
