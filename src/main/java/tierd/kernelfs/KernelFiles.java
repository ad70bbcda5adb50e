package tierd.kernelfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Bounded reads of pseudo-files. /proc and /sys report sizes of 0 or 4096 whatever the content, so
 * files are read to EOF in one pass without stat, up to a limit; a file over the limit is an error
 * rather than silently truncated (tierd acts on these numbers).
 */
public final class KernelFiles {

  /** Largest pseudo-file tierd reads: a big process's numa_maps is a few MiB. */
  public static final int MAX_BYTES = 64 << 20;

  private KernelFiles() {}

  /** Reads the whole file as text. */
  public static String read(Path file) {
    return read(file, MAX_BYTES);
  }

  /**
   * Per-thread read buffer, kept while it is at most {@link #SCRATCH_KEEP_BYTES}: a cycle reads
   * about ten files per process, and a fresh 64 KiB array for each (allocated and zeroed, then
   * collected) cost more than the parsing of most of them.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  static final int SCRATCH_KEEP_BYTES = 1 << 20;

  /** A thread's read buffer and the length of the last file read into it. */
  private static final class Scratch {
    byte[] buf = new byte[64 << 10];
    int len;
  }

  public static String read(Path file, int maxBytes) {
    Scratch s = readScratch(file, maxBytes);
    return new String(s.buf, 0, s.len, StandardCharsets.UTF_8);
  }

  /**
   * What tells two versions of a file apart without keeping their bytes: the length and two
   * independent CRCs (CRC-32C and CRC-32, both computed by CPU instructions on x86_64 and aarch64).
   * A change that leaves the length and both checksums equal has a chance of about 2^-64.
   */
  public record Fingerprint(int length, long crcs) {

    static Fingerprint of(byte[] buf, int len) {
      CRC32C c = new CRC32C();
      c.update(buf, 0, len);
      CRC32 d = new CRC32();
      d.update(buf, 0, len);
      return new Fingerprint(len, c.getValue() << 32 | d.getValue());
    }
  }

  /**
   * A file's text and its fingerprint. {@code text} is null when the file was read with {@link
   * #readIfChanged} and had the fingerprint given there.
   */
  public record Content(String text, Fingerprint fingerprint) {

    /** Whether the text was kept (not when {@link #readIfChanged} found the file unchanged). */
    public boolean hasText() {
      return text != null;
    }

    /** The text; an error when it was not kept. */
    @Override
    public String text() {
      if (text == null) {
        throw new IllegalStateException("content unchanged: its text was not kept");
      }
      return text;
    }
  }

  /**
   * Reads the whole file with its fingerprint, decoding its text only when the fingerprint differs
   * from {@code last} (null: always). A daemon that reads the same files every cycle keeps the
   * fingerprints and skips decoding and parsing what did not change (the copies alone were a fifth
   * of a scan's garbage). The text is decoded straight from the read buffer: one copy of a large
   * file, not two.
   */
  public static Content readIfChanged(Path file, Fingerprint last) {
    return readIfChanged(file, last, MAX_BYTES);
  }

  /** {@link #readIfChanged(Path, Fingerprint)} of a file of at most {@code maxBytes}. */
  public static Content readIfChanged(Path file, Fingerprint last, int maxBytes) {
    Scratch s = readScratch(file, maxBytes);
    Fingerprint f = Fingerprint.of(s.buf, s.len);
    return new Content(
        f.equals(last) ? null : new String(s.buf, 0, s.len, StandardCharsets.UTF_8), f);
  }

  private static Scratch readScratch(Path file, int maxBytes) {
    try (InputStream in = Files.newInputStream(file)) {
      Scratch s = SCRATCH.get();
      byte[] buf = s.buf;
      int len = 0;
      while (true) {
        // Read at most maxBytes + 1 bytes: one more than allowed tells an oversized file.
        int limit = (int) Math.min(buf.length, maxBytes + 1L);
        if (len == limit) {
          if (len > maxBytes) {
            throw KernelFsException.of(
                KernelFsException.Kind.TOO_LARGE, file, "larger than " + maxBytes + " bytes", null);
          }
          buf = Arrays.copyOf(buf, (int) Math.min(maxBytes + 1L, buf.length * 2L));
          if (buf.length <= SCRATCH_KEEP_BYTES) {
            s.buf = buf;
          }
          continue;
        }
        int n = in.read(buf, len, limit - len);
        if (n < 0) {
          break;
        }
        len += n;
      }
      if (buf != s.buf) {
        // Larger than the kept buffer: hand back a one-off holder.
        Scratch big = new Scratch();
        big.buf = buf;
        big.len = len;
        return big;
      }
      s.len = len;
      return s;
    } catch (IOException e) {
      throw classify(file, e);
    }
  }

  /** Reads a file that may legitimately be missing (an optional kernel interface). */
  public static Optional<String> readIfPresent(Path file) {
    try {
      return Optional.of(read(file));
    } catch (KernelFsException e) {
      if (e.kind() == KernelFsException.Kind.ABSENT) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Reads a one-line file and strips the trailing newline and blanks. */
  public static String readLine(Path file) {
    return read(file, 1 << 20).strip();
  }

  public static boolean exists(Path file) {
    return Files.exists(file);
  }

  /** Entry names of a directory, sorted; an absent directory is an ABSENT failure. */
  public static List<String> list(Path dir) {
    // java.io's list returns the names in one call (the daemon lists /proc every cycle; a
    // DirectoryStream builds two Paths per entry); on failure it says nothing, so the stream
    // below is opened to get the reason.
    String[] plain = dir.toFile().list();
    if (plain != null) {
      Arrays.sort(plain);
      return List.of(plain);
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      throw classify(dir, e);
    }
    Collections.sort(names);
    return names;
  }

  /** Writes a control file (sysfs attribute) in one write, as the kernel expects. */
  public static void write(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw classify(file, e);
    }
  }

  /** Maps an I/O failure on a kernel file to a {@link KernelFsException} kind. */
  public static KernelFsException classify(Path file, IOException e) {
    if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
      return KernelFsException.of(KernelFsException.Kind.ABSENT, file, null, e);
    }
    if (e instanceof AccessDeniedException) {
      return KernelFsException.of(KernelFsException.Kind.PERMISSION, file, null, e);
    }
    String msg = String.valueOf(e.getMessage());
    // A process that exits while its files are open reads as ESRCH; treat it as gone.
    if (msg.contains("No such process")) {
      return KernelFsException.of(KernelFsException.Kind.ABSENT, file, msg, e);
    }
    if (msg.contains("Operation not permitted") || msg.contains("Permission denied")) {
      return KernelFsException.of(KernelFsException.Kind.PERMISSION, file, msg, e);
    }
    if (msg.contains("Device or resource busy")) {
      return KernelFsException.of(KernelFsException.Kind.IO, file, "EBUSY: " + msg, e);
    }
    return KernelFsException.of(KernelFsException.Kind.IO, file, msg, e);
  }

  /**
   * What went wrong with a file or socket, in words for a one-line message: "no such file or
   * directory", "permission denied", "address already in use". The JDK's messages for these are the
   * path alone, or the errno text with a capital.
   */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "it exists already";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    String text = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    if (text == null || text.isBlank()) {
      return e.getClass().getSimpleName();
    }
    // "Address already in use" reads on in a sentence; "HTTP connect timed out" keeps its capitals.
    boolean capitalisedWord =
        text.length() > 1
            && Character.isUpperCase(text.charAt(0))
            && Character.isLowerCase(text.charAt(1));
    return capitalisedWord ? Character.toLowerCase(text.charAt(0)) + text.substring(1) : text;
  }
}
