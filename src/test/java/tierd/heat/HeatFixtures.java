package tierd.heat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.source.proc.NumaMaps;

/** Builders for processes, VMAs and binary page files (pagemap, kpageflags, page_idle bitmap). */
public final class HeatFixtures {

  public static final long PAGE = 4096;

  private HeatFixtures() {}

  /** An anonymous private VMA with {@code present} pages on node 0. */
  public static Vma vma(long start, long end, long present) {
    return new Vma(
        new AddressRange(start, end),
        "rw-p",
        "",
        MemPolicy.DEFAULT,
        NumaMaps.Backing.ANON,
        false,
        PAGE,
        present,
        1,
        present == 0 ? new TreeMap<>() : new TreeMap<>(Map.of(0, present)));
  }

  public static ManagedProcess process(int pid, Vma... vmas) {
    return new ManagedProcess(
        pid,
        1000 + pid,
        "w",
        0,
        "/",
        NodeSet.of(0),
        Optional.empty(),
        NodeSet.of(0),
        List.of(vmas));
  }

  /** Present entry for {@code pfn} (bit 63 + PFN), as pagemap shows it to root. */
  public static long present(long pfn) {
    return (1L << 63) | pfn;
  }

  /** Writes 64-bit words at word index {@code firstIndex} of {@code file} (sparse file). */
  public static void writeWords(Path file, long firstIndex, long... words) {
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 8).order(ByteOrder.nativeOrder());
        b.asLongBuffer().put(words);
        while (b.hasRemaining()) {
          ch.write(b, firstIndex * 8 + b.position());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** pagemap entries for the pages of {@code [start, ...)} of process {@code pid}. */
  public static void pagemap(Path dir, int pid, long start, long... entries) {
    writeWords(dir.resolve("proc/" + pid + "/pagemap"), start / PAGE, entries);
  }

  public static void file(Path f, String content) {
    try {
      Files.createDirectories(f.getParent());
      Files.writeString(f, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
