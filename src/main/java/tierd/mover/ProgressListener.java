package tierd.mover;

/**
 * Progress of one {@link PageMover#move} call, reported after every move_pages call. Counts are in
 * request pages (base pages, or folios for THP/hugetlb requests).
 */
@FunctionalInterface
public interface ProgressListener {

  /**
   * @param pagesDone pages settled so far (moved or not)
   * @param pagesTotal pages named by all requests of the call
   */
  void progress(long pagesDone, long pagesTotal);

  ProgressListener NONE = (done, total) -> {};
}
