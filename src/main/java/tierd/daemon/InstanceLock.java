package tierd.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tierd.kernelfs.KernelFiles;

/**
 * One tierd per host: an exclusive lock on {@code tierd.lock} in the runtime directory, held for
 * the daemon's life. Two daemons would tier the same processes, share the DAMON state file, and the
 * second could remove the first one's kdamond.
 *
 * <p>The lock is the kernel's (FileChannel.tryLock, an fcntl F_SETLK record lock on Linux): it goes
 * away with the process, also after kill -9, so a lock is never stale. The file holds the holder's
 * pid for the message the next one prints; it is emptied on a clean stop and never deleted
 * (deleting a lock file lets a waiter lock an unlinked copy). {@code lslocks} lists the holder.
 */
public final class InstanceLock implements AutoCloseable {

  /** The lock file's name in the runtime directory. */
  public static final String FILE_NAME = "tierd.lock";

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private InstanceLock(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock in {@code runtimeDirectory}, creating the directory (mode 0700) when its parent
   * exists; throws a {@link StartupException} when another process holds the lock or the directory
   * cannot be used.
   */
  public static InstanceLock acquire(Path runtimeDirectory) {
    createDirectory(runtimeDirectory);
    Path path = runtimeDirectory.resolve(FILE_NAME).toAbsolutePath().normalize();
    // Within one JVM the kernel's lock cannot tell two holders apart, and closing a second channel
    // on the file would drop the first one's lock (see FileLock): this process checks itself.
    if (!HELD.add(path)) {
      throw held(path, Long.toString(ProcessHandle.current().pid()));
    }
    try {
      return lock(path);
    } catch (RuntimeException e) {
      HELD.remove(path);
      throw e;
    }
  }

  /** The lock files this process holds. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private static InstanceLock lock(Path path) {
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw unusable("cannot open " + path + ": " + KernelFiles.reason(e), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException e) {
      close(channel);
      throw unusable("cannot lock " + path + ": " + KernelFiles.reason(e), e);
    }
    if (lock == null) {
      String holder = holder(channel);
      close(channel);
      throw held(path, holder);
    }
    try {
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
    } catch (IOException e) {
      close(channel);
      throw unusable("cannot write " + path + ": " + KernelFiles.reason(e), e);
    }
    return new InstanceLock(path, channel, lock);
  }

  public Path path() {
    return path;
  }

  /** Empties the file and releases the lock. */
  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      // The kernel drops the lock when the channel closes, which follows.
    } finally {
      close(channel);
      HELD.remove(path);
    }
  }

  private static StartupException held(Path path, String holder) {
    return new StartupException(
        StartupException.EXIT_USAGE,
        "another tierd is running: pid " + holder + " holds " + path,
        "one tierd per host; stop that one first, e.g. systemctl stop tierd");
  }

  private static void createDirectory(Path dir) {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (Files.exists(dir)) {
      throw new StartupException(
          StartupException.EXIT_HOST,
          "the runtime directory " + dir + " is not a directory",
          "set runtimeDirectory: in the config to a directory");
    }
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (NoSuchFileException e) {
      throw new StartupException(
          StartupException.EXIT_HOST,
          "the runtime directory " + dir + " does not exist, nor does " + dir.getParent(),
          "create it, or set runtimeDirectory: in the config to a directory that exists");
    } catch (IOException e) {
      throw unusable(
          "cannot create the runtime directory " + dir + ": " + KernelFiles.reason(e), e);
    }
  }

  private static StartupException unusable(String what, IOException e) {
    String fix =
        e instanceof AccessDeniedException
            ? "run tierd as root, as the systemd unit does, or set runtimeDirectory: in the config"
                + " to a directory this user may write"
            : "set runtimeDirectory: in the config to a writable local directory";
    return new StartupException(StartupException.EXIT_HOST, what, fix);
  }

  /** The pid in the holder's lock file, or "unknown" while it has not written it yet. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      channel.read(buf, 0);
      String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
      return pid.matches("[0-9]+") ? pid : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
