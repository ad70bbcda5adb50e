package tierd.mover;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tierd.model.AddressRange;
import tierd.nativeio.SyscallResult;

/**
 * Where the present pages of a range are, from {@code move_pages(pid, n, pages, NULL, status, 0)}
 * through a {@link PagesPort}: the node of every page, in one query per batch of {@link #BATCH}
 * pages. A page that is not present (or not mapped) counts on no node.
 */
public final class PlacementQuery {

  /** Pages per {@code move_pages} query. */
  static final int BATCH = 4096;

  private final PagesPort port;

  public PlacementQuery(PagesPort port) {
    this.port = port;
  }

  /**
   * Bytes per node of the present pages of {@code range}, one query per page of {@code pageBytes}
   * (a huge page is asked once); empty when a query fails (the process is gone). An empty map is a
   * real answer: nothing of the range is present.
   *
   * @param range page-aligned to {@code pageBytes}
   */
  public Optional<Map<Integer, Long>> bytesPerNode(int pid, AddressRange range, long pageBytes) {
    Map<Integer, Long> bytes = new HashMap<>();
    long totalPages = range.sizeBytes() / pageBytes;
    long[] pages = new long[(int) Math.min(BATCH, totalPages)];
    int[] status = new int[pages.length];
    for (long donePages = 0; donePages < totalPages; ) {
      int batchPages = (int) Math.min(pages.length, totalPages - donePages);
      long[] batch = batchPages == pages.length ? pages : new long[batchPages];
      int[] batchStatus = batchPages == status.length ? status : new int[batchPages];
      for (int i = 0; i < batchPages; i++) {
        batch[i] = range.start() + (donePages + i) * pageBytes;
      }
      SyscallResult result = port.queryNodes(pid, batch, batchStatus);
      if (result.failed()) {
        return Optional.empty();
      }
      for (int i = 0; i < batchPages; i++) {
        if (batchStatus[i] >= 0) {
          bytes.merge(batchStatus[i], pageBytes, Long::sum);
        }
      }
      donePages += batchPages;
    }
    return Optional.of(bytes);
  }
}
