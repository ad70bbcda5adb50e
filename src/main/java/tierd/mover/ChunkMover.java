package tierd.mover;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.nativeio.Errno;
import tierd.nativeio.Mpol;
import tierd.nativeio.SyscallResult;

/**
 * The syscall work of a {@link MoveRun}: one chunk of a request (a placement query, then the move
 * calls for the pages found on a source node), what each page's status means, and the one retry of
 * busy pages. Page outcomes and call counts go to the run.
 */
final class ChunkMover {

  private static final Logger LOG = LoggerFactory.getLogger(ChunkMover.class);

  private final MoveEngine engine;
  private final MoveRun run;
  private final int flags;

  ChunkMover(MoveEngine engine, MoveRun run) {
    this.engine = engine;
    this.run = run;
    this.flags = engine.config.moveAll() ? Mpol.MPOL_MF_MOVE_ALL : Mpol.MPOL_MF_MOVE;
  }

  /** Queries and moves the next chunk of request {@code i}: at most {@code maxPages} pages. */
  void step(int i, PageCursor cursor, long maxPages) {
    MoveRequest req = run.request(i);
    Tally.Builder tally = run.tallies[i];
    long pageBytes = req.pageBytes();
    if (engine.port == null) {
      long n = cursor.skipRest();
      long withinPlan = Math.min(n, Math.max(0, run.capLeft(i)));
      tally.add(Outcome.MOVED, withinPlan, pageBytes);
      tally.add(Outcome.OVER_PLAN, n - withinPlan, pageBytes);
      run.done(n);
      return;
    }
    int chunkPages = (int) Math.min(engine.querySizer(pageBytes).next(pageBytes), maxPages);
    long[] chunk = cursor.next(Math.max(1, chunkPages));
    int[] status = query(req, chunk);
    if (status == null) {
      tally.add(Outcome.of(run.dropped.get(req.process())), chunk.length, pageBytes);
      run.done(chunk.length);
      return;
    }
    long[] candidates = withinPlan(i, classify(req, chunk, status, tally));
    if (engine.dryRun) {
      tally.add(Outcome.MOVED, candidates.length, pageBytes);
      run.done(chunk.length);
      return;
    }
    run.done(chunk.length - candidates.length);
    move(i, candidates, true);
  }

  /** The one retry of busy pages, later in the same call; placement is checked again first. */
  void retry(int i, long[] pages) {
    MoveRequest req = run.request(i);
    Tally.Builder tally = run.tallies[i];
    long pageBytes = req.pageBytes();
    int offset = 0;
    while (offset < pages.length) {
      Outcome blocked = run.blockedOutcome(req);
      if (blocked != null) {
        tally.add(blocked, pages.length - offset, pageBytes);
        return;
      }
      int n = Math.min(engine.querySizer(pageBytes).next(pageBytes), pages.length - offset);
      long[] chunk = Arrays.copyOfRange(pages, offset, offset + n);
      offset += n;
      int[] status = query(req, chunk);
      if (status == null) {
        tally.add(Outcome.of(run.dropped.get(req.process())), chunk.length, pageBytes);
        continue;
      }
      move(i, classify(req, chunk, status, tally), false);
    }
  }

  /** Queries placement; null when the process had to be dropped. */
  private int[] query(MoveRequest req, long[] pages) {
    int[] status = new int[pages.length];
    Arrays.fill(status, MoveEngine.STATUS_UNSET);
    long t0 = engine.ticker.nanoTime();
    SyscallResult r = engine.port.queryNodes(req.process().pid(), pages, status);
    long dt = engine.ticker.nanoTime() - t0;
    run.queryCalls++;
    run.timed(dt);
    engine.querySizer(req.pageBytes()).record(pages.length, req.pageBytes(), dt);
    if (r.failed()) {
      run.drop(req.process(), r.errno(), "query failed: " + r);
      return null;
    }
    return status;
  }

  /** Counts pages that stay where they are; returns the ones on a source node. */
  private static long[] classify(MoveRequest req, long[] pages, int[] status, Tally.Builder t) {
    long pageBytes = req.pageBytes();
    LongList candidates = new LongList(pages.length);
    for (int k = 0; k < pages.length; k++) {
      int s = status[k];
      if (s == req.targetNode()) {
        t.add(Outcome.ALREADY_ON_TARGET, 1, pageBytes);
      } else if (s == MoveEngine.STATUS_UNSET) {
        t.add(Outcome.OTHER, 1, pageBytes);
      } else if (s < 0) {
        t.add(Outcome.of(Errno.ofStatus(s)), 1, pageBytes);
      } else if (!req.fromNodes().contains(s)) {
        t.add(Outcome.NOT_ON_SOURCE, 1, pageBytes);
      } else {
        candidates.add(pages[k]);
      }
    }
    return candidates.toArray();
  }

  /**
   * The first of {@code candidates} that the request's cap still allows ({@link MoveRun#capLeft});
   * the others are tallied as {@link Outcome#OVER_PLAN}. The plan booked the request's bytes, not
   * which of its pages: it scored and cut the range as a whole, so any of them serves the plan, and
   * taking them in address order (the order the ranges are walked in) keeps the pages left behind
   * in one run at the range's end, for the next plan to see as one.
   */
  private long[] withinPlan(int i, long[] candidates) {
    long allowed = Math.max(0, run.capLeft(i));
    if (candidates.length <= allowed) {
      return candidates;
    }
    run.tallies[i].add(Outcome.OVER_PLAN, candidates.length - allowed, run.request(i).pageBytes());
    return Arrays.copyOf(candidates, (int) allowed);
  }

  private void move(int i, long[] candidates, boolean firstAttempt) {
    MoveRequest req = run.request(i);
    Tally.Builder tally = run.tallies[i];
    long pageBytes = req.pageBytes();
    int offset = 0;
    while (offset < candidates.length) {
      Outcome blocked = run.blockedOutcome(req);
      if (blocked != null) {
        int rest = candidates.length - offset;
        tally.add(blocked, rest, pageBytes);
        if (firstAttempt) {
          run.done(rest);
        }
        return;
      }
      BatchSizer sizer = engine.moveSizer(pageBytes);
      int n = Math.min(sizer.next(pageBytes), candidates.length - offset);
      long[] batch = Arrays.copyOfRange(candidates, offset, offset + n);
      int[] nodes = new int[n];
      Arrays.fill(nodes, req.targetNode());
      int[] status = new int[n];
      Arrays.fill(status, MoveEngine.STATUS_UNSET);
      long t0 = engine.ticker.nanoTime();
      SyscallResult r = engine.port.movePages(req.process().pid(), batch, nodes, status, flags);
      long dt = engine.ticker.nanoTime() - t0;
      run.moveCalls++;
      run.timed(dt);
      sizer.record(n, pageBytes, dt);
      settle(i, batch, status, r, firstAttempt);
      offset += n;
      if (firstAttempt) {
        run.done(n);
      }
    }
  }

  /** Gives every page of a finished move call its outcome. */
  private void settle(int i, long[] batch, int[] status, SyscallResult r, boolean firstAttempt) {
    MoveRequest req = run.request(i);
    Tally.Builder tally = run.tallies[i];
    long pageBytes = req.pageBytes();
    int pid = req.process().pid();
    int target = req.targetNode();
    Errno callErr = r.failed() ? r.errno() : null;
    boolean processLost = false;
    if (callErr != null) {
      switch (callErr) {
        case ESRCH, EPERM, EINVAL -> {
          run.drop(req.process(), callErr, "move_pages failed: " + r);
          processLost = true;
        }
        case EACCES -> {
          run.refuse(req.process(), target);
          LOG.debug("pid {}: node {} is outside its cpuset (EACCES)", pid, target);
        }
        case ENOMEM, ENODEV -> run.stop(target, callErr);
        default -> LOG.debug("pid {}: move_pages to node {} failed: {}", pid, target, r);
      }
    }
    LongList unset = new LongList(0);
    for (int k = 0; k < batch.length; k++) {
      int s = status[k];
      if (s == MoveEngine.STATUS_UNSET) {
        unset.add(batch[k]);
      } else if (s == target) {
        tally.add(Outcome.MOVED, 1, pageBytes);
      } else if (s >= 0) {
        tally.add(Outcome.OTHER, 1, pageBytes);
      } else {
        Errno e = Errno.ofStatus(s);
        if (e == Errno.ENOMEM) {
          run.stop(target, e);
        }
        if ((e == Errno.EBUSY || e == Errno.EAGAIN) && firstAttempt && engine.config.retryBusy()) {
          retryLater(i, batch[k]);
        } else {
          tally.add(Outcome.of(e), 1, pageBytes);
        }
      }
    }
    if (unset.size() == 0) {
      return;
    }
    if (processLost) {
      tally.add(Outcome.of(callErr), unset.size(), pageBytes);
      return;
    }
    // The kernel left these entries alone: it gave up on them, or never got to them
    // (a positive return counts both). Ask where they are now.
    long[] again = unset.toArray();
    int[] now = query(req, again);
    if (now == null) {
      tally.add(Outcome.of(run.dropped.get(req.process())), again.length, pageBytes);
      return;
    }
    for (int k = 0; k < again.length; k++) {
      int s = now[k];
      if (s == target) {
        tally.add(Outcome.MOVED, 1, pageBytes);
      } else if (s == MoveEngine.STATUS_UNSET) {
        tally.add(Outcome.OTHER, 1, pageBytes);
      } else if (s < 0) {
        tally.add(Outcome.of(Errno.ofStatus(s)), 1, pageBytes);
      } else if (!req.fromNodes().contains(s)) {
        tally.add(Outcome.NOT_ON_SOURCE, 1, pageBytes);
      } else if (callErr != null) {
        tally.add(callErr == Errno.ENODEV ? Outcome.OTHER : Outcome.of(callErr), 1, pageBytes);
      } else if (firstAttempt && engine.config.retryBusy()) {
        retryLater(i, again[k]);
      } else {
        tally.add(Outcome.NOT_MIGRATED, 1, pageBytes);
      }
    }
  }

  private void retryLater(int i, long page) {
    run.retries.computeIfAbsent(i, k -> new LongList(16)).add(page);
  }
}
