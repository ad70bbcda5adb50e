package tierd.heat.damon;

import java.nio.file.Path;
import java.util.List;

/**
 * The DAMON sysfs admin directory ({@code /sys/kernel/mm/damon/admin}) as a port: every path is
 * relative to it, e.g. {@code kdamonds/0/state}.
 *
 * <p>The real kernel reacts to writes synchronously — writing {@code nr_kdamonds} removes and
 * recreates the {@code kdamonds/<K>} directories, writing {@code update_schemes_tried_regions} to
 * {@code state} fills {@code tried_regions/<N>} — so a test cannot stand in for it with plain
 * files. {@link SysfsDamonFs} is the production implementation; tests use a fake kernel that
 * implements this interface over a temporary tree.
 *
 * <p>Failures are {@link tierd.kernelfs.KernelFsException}s: ABSENT for a missing file or
 * directory, and for a refused write the errno text in the detail ({@code EBUSY: Device or resource
 * busy}, {@code Invalid argument}, {@code Operation not permitted}); see {@link DamonErrors}.
 */
public interface DamonFs {

  /** The whole file, trailing newline stripped. */
  String read(String relative);

  /** One write of {@code value}, as {@code echo value > file} does. */
  void write(String relative, String value);

  /** Entry names of a directory, sorted. */
  List<String> list(String relative);

  boolean exists(String relative);

  /** The full path, for messages. */
  Path path(String relative);
}
