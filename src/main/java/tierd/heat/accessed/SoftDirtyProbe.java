package tierd.heat.accessed;

import java.nio.file.Path;
import java.util.Optional;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.PageSize;
import tierd.model.AddressRange;
import tierd.nativeio.ProbePage;
import tierd.source.proc.Pagemap;

/**
 * Whether this kernel keeps soft-dirty bits (CONFIG_MEM_SOFT_DIRTY), found by trying them on a page
 * of tierd's own memory, never from the kernel version: write the page, write {@code 4} to {@code
 * /proc/self/clear_refs}, read the page's pagemap entry (bit 55 must now be clear), write the page
 * again and read the entry again (bit 55 must now be set). A kernel without CONFIG_MEM_SOFT_DIRTY
 * accepts the {@code 4} all the same (clear_refs_write checks only the range of the number) and
 * leaves bit 55 at 0, so only the second read tells.
 *
 * <p>Bit 55 can read set right after the clear for a reason other than a broken kernel: the kernel
 * marks a whole VMA soft-dirty when it is mapped, grown or merged (soft-dirty.rst), and another
 * thread of the JVM may grow the malloc arena that holds the probe page in between. Such an attempt
 * is repeated, up to {@link #ATTEMPTS} times.
 *
 * <p>Side effect, on tierd's own process only: clear_refs 4 write-protects all of its pages once,
 * so its next write to each of them takes one minor fault.
 */
public final class SoftDirtyProbe {

  static final int ATTEMPTS = 3;

  private SoftDirtyProbe() {}

  /** What one attempt showed. */
  enum Verdict {
    /** Clear after clear_refs 4, set after a write: soft-dirty works. */
    WORKS,
    /** Still set after clear_refs 4: something marked the VMA again, or the clear failed. */
    NOT_CLEARED,
    /** Not set by a write after clear_refs 4: the kernel does not track soft-dirty bits. */
    NOT_SET,
    /** The probe page was not present when read: no verdict. */
    NOT_PRESENT
  }

  /** Judges one attempt from the page's pagemap entry after the clear and after the write. */
  static Verdict judge(long entryAfterClear, long entryAfterWrite) {
    if (!Pagemap.present(entryAfterClear) || !Pagemap.present(entryAfterWrite)) {
      return Verdict.NOT_PRESENT;
    }
    if (!Pagemap.softDirty(entryAfterWrite)) {
      return Verdict.NOT_SET;
    }
    return Pagemap.softDirty(entryAfterClear) ? Verdict.NOT_CLEARED : Verdict.WORKS;
  }

  /**
   * The reason for the chooser's explanation, or empty when the verdict is {@link Verdict#WORKS}.
   */
  static Optional<String> reason(Verdict v) {
    return switch (v) {
      case WORKS -> Optional.empty();
      case NOT_SET ->
          Optional.of(
              "pagemap bit 55 stays 0 after a write (no soft-dirty: CONFIG_MEM_SOFT_DIRTY off)");
      case NOT_CLEARED ->
          Optional.of("pagemap bit 55 still set after clear_refs 4 in " + ATTEMPTS + " attempts");
      case NOT_PRESENT -> Optional.of("the probe page was not present in pagemap");
    };
  }

  /** Why soft-dirty cannot be used on this kernel, or empty when it can. */
  public static Optional<String> unavailable(KernelRoot root) {
    if (!root.isHost()) {
      return Optional.of("probed only on the running kernel, not on a fixture root");
    }
    Path clearRefs = root.proc("self/clear_refs");
    if (!KernelFiles.exists(clearRefs)) {
      return Optional.of("no /proc/self/clear_refs");
    }
    int self = Math.toIntExact(ProcessHandle.current().pid());
    long pageBytes = PageSize.of(root);
    try (ProbePage page = ProbePage.allocate(pageBytes);
        Pagemap pagemap = Pagemap.open(root, self)) {
      AddressRange range = AddressRange.ofSize(page.address(), pageBytes);
      page.write();
      Verdict v = Verdict.NOT_CLEARED;
      for (int attempt = 0; attempt < ATTEMPTS && v == Verdict.NOT_CLEARED; attempt++) {
        KernelFiles.write(clearRefs, ClearRefsSource.CLEAR_SOFT_DIRTY);
        long afterClear = pagemap.read(range, pageBytes)[0];
        page.write();
        long afterWrite = pagemap.read(range, pageBytes)[0];
        v = judge(afterClear, afterWrite);
      }
      return reason(v);
    } catch (KernelFsException e) {
      return Optional.of("soft-dirty probe failed: " + e.getMessage());
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return Optional.of("soft-dirty probe needs JNA: " + e.getMessage());
    }
  }
}
