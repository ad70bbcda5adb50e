package tierd.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import tierd.kernelfs.KernelRoot;
import tierd.model.NodeSet;
import tierd.nativeio.NumaSyscalls;
import tierd.nativeio.ProcessImage;
import tierd.nativeio.SyscallResult;

/**
 * {@link ExecPort} on the running kernel, through JNA ({@link NumaSyscalls}, {@link ProcessImage}).
 * Before the exec it closes-on-exec the descriptors the JVM opened and clears the thread's signal
 * mask, so the command starts with what it would have had under {@code env}.
 */
final class KernelExecPort implements ExecPort {

  /** Set by bin/tierd: the descriptors java inherited without close-on-exec, {@code 0,1,2,7}. */
  static final String INHERITED_FDS_PROPERTY = "tierd.exec.inheritedFds";

  /** First descriptor of systemd's socket activation ({@code SD_LISTEN_FDS_START}). */
  private static final int SD_LISTEN_FDS_START = 3;

  private final NumaSyscalls numa;
  private final ProcessImage image;
  private final KernelRoot root;

  KernelExecPort(NumaSyscalls numa, ProcessImage image, KernelRoot root) {
    this.numa = numa;
    this.image = image;
    this.root = root;
  }

  static KernelExecPort load() {
    return new KernelExecPort(NumaSyscalls.load(), ProcessImage.load(), KernelRoot.host());
  }

  @Override
  public SyscallResult set_mempolicy(int mode, NodeSet nodes) {
    return numa.set_mempolicy(mode, nodes);
  }

  @Override
  public SyscallResult execvp(String file, List<String> argv) {
    for (int fd :
        descriptorsToClose(
            openDescriptors(),
            Optional.ofNullable(System.getProperty(INHERITED_FDS_PROPERTY)),
            Optional.ofNullable(System.getenv("LISTEN_FDS")))) {
      image.fcntl_setCloexec(fd); // EBADF for the listing's own descriptor, closed by now
    }
    long[] jvmMask = image.unblockAllSignals();
    SyscallResult r = image.execvp(file, argv);
    image.restoreSignals(jvmMask);
    return r;
  }

  private List<Integer> openDescriptors() {
    Path dir = root.proc("self/fd");
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The open descriptors the command must not get: all but 0-2 and those java inherited ({@code
   * inheritedFds}, from bin/tierd). Run without bin/tierd nothing tells the inherited ones from the
   * JVM's, and only systemd's socket-activation range ({@code LISTEN_FDS} from 3) is kept.
   */
  static List<Integer> descriptorsToClose(
      List<Integer> open, Optional<String> inheritedFds, Optional<String> listenFds) {
    TreeSet<Integer> keep = new TreeSet<>(List.of(0, 1, 2));
    if (inheritedFds.isPresent()) {
      for (String fd : inheritedFds.get().split(",")) {
        if (!fd.isBlank()) {
          keep.add(Integer.parseInt(fd.strip()));
        }
      }
    } else if (listenFds.isPresent() && listenFds.get().strip().matches("[0-9]{1,4}")) {
      int count = Integer.parseInt(listenFds.get().strip());
      for (int i = 0; i < count; i++) {
        keep.add(SD_LISTEN_FDS_START + i);
      }
    }
    List<Integer> close = new ArrayList<>();
    for (int fd : new TreeSet<>(open)) {
      if (!keep.contains(fd)) {
        close.add(fd);
      }
    }
    return close;
  }
}
