package tierd.mover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.nativeio.Errno;
import tierd.nativeio.Mpol;
import tierd.nativeio.SyscallResult;

/**
 * The move loop shared by {@link MovePagesMover} and {@link DryRunMover}: verify the process, query
 * placement, keep only pages on a source node, move them in bounded batches grouped by target node,
 * settle every page into one {@link Outcome}, retry busy pages once.
 */
final class MoveEngine {

  private static final Logger LOG = LoggerFactory.getLogger(MoveEngine.class);

  /** Pre-filled into status[]: neither a node id nor a negated errno. */
  static final int STATUS_UNSET = Integer.MIN_VALUE;

  private final PagesPort port;
  private final ProcessIdentity identity;
  private final Ticker ticker;
  private final MoverConfig config;
  private final boolean dryRun;
  private final long boundNanos;
  // One sizer per kind of call and page size (a 2 MiB folio does not cost 512 base pages), kept
  // across calls: the cost per byte is the machine's, not the cycle's.
  private final Map<Long, BatchSizer> moveSizers = new HashMap<>();
  private final Map<Long, BatchSizer> querySizers = new HashMap<>();

  /**
   * @param port null for a dry run that does not even query
   * @param identity null to skip the start-time check (a dry run without a kernel)
   */
  MoveEngine(
      PagesPort port, ProcessIdentity identity, Ticker ticker, MoverConfig config, boolean dryRun) {
    this.port = port;
    this.identity = identity;
    this.ticker = ticker;
    this.config = config;
    this.dryRun = dryRun;
    this.boundNanos = config.callBound().toNanos();
  }

  /** One call at a time: the batch sizers are shared between calls. */
  synchronized MoveReport run(List<MoveRequest> requests, ProgressListener progress) {
    return new Run(List.copyOf(requests), progress).execute();
  }

  /** The state of one {@code move} call. */
  private final class Run {
    private final List<MoveRequest> requests;
    private final ProgressListener progress;
    private final Tally.Builder[] tallies;
    private final long[] wouldMove;
    private final Map<Integer, Errno> stoppedTargets = new TreeMap<>();
    private final Map<ProcessRef, Errno> dropped = new HashMap<>();
    private final Map<ProcessRef, Set<Integer>> refusedTargets = new HashMap<>();
    private final Set<ProcessRef> verified = new HashSet<>();
    private final Map<Integer, LongList> retries = new TreeMap<>();
    private final int flags = config.moveAll() ? Mpol.MPOL_MF_MOVE_ALL : Mpol.MPOL_MF_MOVE;
    private final long pagesTotal;
    private long pagesDone;
    private long moveCalls;
    private long queryCalls;
    private long longestNanos;
    private long callsOverBound;
    private long lastLog;
    private final long start;

    Run(List<MoveRequest> requests, ProgressListener progress) {
      this.requests = requests;
      this.progress = progress;
      this.tallies = new Tally.Builder[requests.size()];
      this.wouldMove = new long[requests.size()];
      long total = 0;
      for (int i = 0; i < tallies.length; i++) {
        tallies[i] = new Tally.Builder();
        total += requests.get(i).pages();
      }
      this.pagesTotal = total;
      this.start = ticker.nanoTime();
      this.lastLog = start;
    }

    MoveReport execute() {
      Integer[] order = new Integer[requests.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      // Grouped by target node, then by process: ENOMEM on a node stops the rest for that node.
      Arrays.sort(
          order,
          Comparator.<Integer>comparingInt(i -> requests.get(i).targetNode())
              .thenComparingInt(i -> requests.get(i).process().pid())
              .thenComparingInt(i -> i));
      for (int i : order) {
        runRequest(i);
      }
      for (var e : retries.entrySet()) {
        retry(e.getKey(), e.getValue().toArray());
      }
      Tally.Builder total = new Tally.Builder();
      List<Tally> per = new ArrayList<>(tallies.length);
      List<PlannedMove> planned = new ArrayList<>();
      for (int i = 0; i < tallies.length; i++) {
        Tally t = tallies[i].build();
        per.add(t);
        total.add(t);
        if (dryRun) {
          MoveRequest r = requests.get(i);
          planned.add(new PlannedMove(r, wouldMove[i], wouldMove[i] * r.pageBytes()));
        }
      }
      TreeMap<Integer, Errno> droppedPids = new TreeMap<>();
      for (var e : dropped.entrySet()) {
        droppedPids.putIfAbsent(e.getKey().pid(), e.getValue());
      }
      MoveReport report =
          new MoveReport(
              dryRun,
              total.build(),
              per,
              new TreeMap<>(stoppedTargets),
              droppedPids,
              moveCalls,
              queryCalls,
              Duration.ofNanos(longestNanos),
              callsOverBound,
              Duration.ofNanos(Math.max(0, ticker.nanoTime() - start)),
              planned);
      if (LOG.isDebugEnabled()) {
        LOG.debug("mover: {}", report.summary());
      }
      return report;
    }

    private void runRequest(int i) {
      MoveRequest req = requests.get(i);
      Tally.Builder t = tallies[i];
      long pb = req.pageBytes();
      PageCursor cursor = new PageCursor(req);
      verify(req.process());
      while (cursor.hasNext()) {
        if (blocked(req, t, cursor)) {
          break;
        }
        if (port == null) {
          long n = cursor.skipRest();
          t.add(Outcome.MOVED, n, pb);
          wouldMove[i] += n;
          done(n);
          break;
        }
        long[] chunk = cursor.next(querySizer(pb).next(pb));
        int[] status = query(req, chunk);
        if (status == null) {
          t.add(Outcome.of(dropped.get(req.process())), chunk.length, pb);
          done(chunk.length);
          continue;
        }
        long[] candidates = classify(req, chunk, status, t);
        if (dryRun) {
          t.add(Outcome.MOVED, candidates.length, pb);
          wouldMove[i] += candidates.length;
          done(chunk.length);
          continue;
        }
        done(chunk.length - candidates.length);
        move(i, candidates, true);
      }
    }

    /** Settles the rest of a request that can no longer move; true if it did. */
    private boolean blocked(MoveRequest req, Tally.Builder t, PageCursor cursor) {
      Outcome o = blockedOutcome(req);
      if (o == null) {
        return false;
      }
      long n = cursor.skipRest();
      t.add(o, n, req.pageBytes());
      done(n);
      return true;
    }

    private Outcome blockedOutcome(MoveRequest req) {
      Errno why = dropped.get(req.process());
      if (why != null) {
        return Outcome.of(why);
      }
      if (stoppedTargets.containsKey(req.targetNode())) {
        return Outcome.SKIPPED;
      }
      if (refusedTargets.getOrDefault(req.process(), Set.of()).contains(req.targetNode())) {
        return Outcome.EACCES;
      }
      return null;
    }

    private void verify(ProcessRef p) {
      if (identity == null || verified.contains(p) || dropped.containsKey(p)) {
        return;
      }
      boolean alive;
      try {
        alive = identity.isAlive(p);
      } catch (RuntimeException e) {
        // An unreadable /proc/<pid>/stat: leave the process alone rather than fail the cycle.
        drop(p, Errno.OTHER, "start time unreadable: " + e.getMessage());
        return;
      }
      if (alive) {
        verified.add(p);
      } else {
        drop(p, Errno.ESRCH, "gone, or its pid names another process now");
      }
    }

    private BatchSizer querySizer(long pageBytes) {
      return querySizers.computeIfAbsent(pageBytes, k -> new BatchSizer(config));
    }

    private BatchSizer moveSizer(long pageBytes) {
      return moveSizers.computeIfAbsent(pageBytes, k -> new BatchSizer(config));
    }

    private void timed(long nanos) {
      longestNanos = Math.max(longestNanos, nanos);
      if (nanos > boundNanos) {
        callsOverBound++;
      }
    }

    /** Queries placement; null when the process had to be dropped. */
    private int[] query(MoveRequest req, long[] pages) {
      int[] status = new int[pages.length];
      Arrays.fill(status, STATUS_UNSET);
      long t0 = ticker.nanoTime();
      SyscallResult r = port.queryNodes(req.process().pid(), pages, status);
      long dt = ticker.nanoTime() - t0;
      queryCalls++;
      timed(dt);
      querySizer(req.pageBytes()).record(pages.length, req.pageBytes(), dt);
      if (r.failed()) {
        drop(req.process(), r.errno(), "query failed: " + r);
        return null;
      }
      return status;
    }

    /** Counts pages that stay where they are; returns the ones on a source node. */
    private long[] classify(MoveRequest req, long[] pages, int[] status, Tally.Builder t) {
      long pb = req.pageBytes();
      LongList candidates = new LongList(pages.length);
      for (int k = 0; k < pages.length; k++) {
        int s = status[k];
        if (s == req.targetNode()) {
          t.add(Outcome.ALREADY_ON_TARGET, 1, pb);
        } else if (s == STATUS_UNSET) {
          t.add(Outcome.OTHER, 1, pb);
        } else if (s < 0) {
          t.add(Outcome.of(Errno.ofStatus(s)), 1, pb);
        } else if (!req.fromNodes().contains(s)) {
          t.add(Outcome.NOT_ON_SOURCE, 1, pb);
        } else {
          candidates.add(pages[k]);
        }
      }
      return candidates.toArray();
    }

    private void move(int i, long[] candidates, boolean firstAttempt) {
      MoveRequest req = requests.get(i);
      Tally.Builder t = tallies[i];
      long pb = req.pageBytes();
      int offset = 0;
      while (offset < candidates.length) {
        Outcome blocked = blockedOutcome(req);
        if (blocked != null) {
          int rest = candidates.length - offset;
          t.add(blocked, rest, pb);
          if (firstAttempt) {
            done(rest);
          }
          return;
        }
        BatchSizer sizer = moveSizer(pb);
        int n = Math.min(sizer.next(pb), candidates.length - offset);
        long[] batch = Arrays.copyOfRange(candidates, offset, offset + n);
        int[] nodes = new int[n];
        Arrays.fill(nodes, req.targetNode());
        int[] status = new int[n];
        Arrays.fill(status, STATUS_UNSET);
        long t0 = ticker.nanoTime();
        SyscallResult r = port.movePages(req.process().pid(), batch, nodes, status, flags);
        long dt = ticker.nanoTime() - t0;
        moveCalls++;
        timed(dt);
        sizer.record(n, pb, dt);
        settle(i, batch, status, r, firstAttempt);
        offset += n;
        if (firstAttempt) {
          done(n);
        }
      }
    }

    /** Gives every page of a finished move call its outcome. */
    private void settle(int i, long[] batch, int[] status, SyscallResult r, boolean firstAttempt) {
      MoveRequest req = requests.get(i);
      Tally.Builder t = tallies[i];
      long pb = req.pageBytes();
      int pid = req.process().pid();
      int target = req.targetNode();
      Errno callErr = r.failed() ? r.errno() : null;
      boolean processLost = false;
      if (callErr != null) {
        switch (callErr) {
          case ESRCH, EPERM, EINVAL -> {
            drop(req.process(), callErr, "move_pages failed: " + r);
            processLost = true;
          }
          case EACCES -> {
            refusedTargets.computeIfAbsent(req.process(), k -> new HashSet<>()).add(target);
            LOG.debug("pid {}: node {} is outside its cpuset (EACCES)", pid, target);
          }
          case ENOMEM, ENODEV -> stop(target, callErr);
          default -> LOG.debug("pid {}: move_pages to node {} failed: {}", pid, target, r);
        }
      }
      LongList unset = new LongList(0);
      for (int k = 0; k < batch.length; k++) {
        int s = status[k];
        if (s == STATUS_UNSET) {
          unset.add(batch[k]);
        } else if (s == target) {
          t.add(Outcome.MOVED, 1, pb);
        } else if (s >= 0) {
          t.add(Outcome.OTHER, 1, pb);
        } else {
          Errno e = Errno.ofStatus(s);
          if (e == Errno.ENOMEM) {
            stop(target, e);
          }
          if ((e == Errno.EBUSY || e == Errno.EAGAIN) && firstAttempt && config.retryBusy()) {
            retries.computeIfAbsent(i, k2 -> new LongList(16)).add(batch[k]);
          } else {
            t.add(Outcome.of(e), 1, pb);
          }
        }
      }
      if (unset.size() == 0) {
        return;
      }
      if (processLost) {
        t.add(Outcome.of(callErr), unset.size(), pb);
        return;
      }
      // The kernel left these entries alone: it gave up on them, or never got to them
      // (a positive return counts both). Ask where they are now.
      long[] again = unset.toArray();
      int[] now = query(req, again);
      if (now == null) {
        t.add(Outcome.of(dropped.get(req.process())), again.length, pb);
        return;
      }
      for (int k = 0; k < again.length; k++) {
        int s = now[k];
        if (s == target) {
          t.add(Outcome.MOVED, 1, pb);
        } else if (s == STATUS_UNSET) {
          t.add(Outcome.OTHER, 1, pb);
        } else if (s < 0) {
          t.add(Outcome.of(Errno.ofStatus(s)), 1, pb);
        } else if (!req.fromNodes().contains(s)) {
          t.add(Outcome.NOT_ON_SOURCE, 1, pb);
        } else if (callErr != null) {
          t.add(callErr == Errno.ENODEV ? Outcome.OTHER : Outcome.of(callErr), 1, pb);
        } else if (firstAttempt && config.retryBusy()) {
          retries.computeIfAbsent(i, k2 -> new LongList(16)).add(again[k]);
        } else {
          t.add(Outcome.NOT_MIGRATED, 1, pb);
        }
      }
    }

    /** The one retry of busy pages, later in the same call; placement is checked again first. */
    private void retry(int i, long[] pages) {
      MoveRequest req = requests.get(i);
      Tally.Builder t = tallies[i];
      long pb = req.pageBytes();
      int offset = 0;
      while (offset < pages.length) {
        Outcome blocked = blockedOutcome(req);
        if (blocked != null) {
          t.add(blocked, pages.length - offset, pb);
          return;
        }
        int n = Math.min(querySizer(pb).next(pb), pages.length - offset);
        long[] chunk = Arrays.copyOfRange(pages, offset, offset + n);
        offset += n;
        int[] status = query(req, chunk);
        if (status == null) {
          t.add(Outcome.of(dropped.get(req.process())), chunk.length, pb);
          continue;
        }
        move(i, classify(req, chunk, status, t), false);
      }
    }

    private void drop(ProcessRef p, Errno why, String detail) {
      if (dropped.putIfAbsent(p, why) == null) {
        LOG.debug("pid {}: dropped for this cycle ({}): {}", p, why, detail);
      }
    }

    private void stop(int node, Errno why) {
      if (stoppedTargets.putIfAbsent(node, why) == null) {
        LOG.debug("node {}: no more moves to it in this cycle ({})", node, why);
      }
    }

    private void done(long n) {
      if (n <= 0) {
        return;
      }
      pagesDone += n;
      progress.progress(pagesDone, pagesTotal);
      if (LOG.isDebugEnabled()) {
        long now = ticker.nanoTime();
        if (now - lastLog >= config.progressLogInterval().toNanos()) {
          lastLog = now;
          LOG.debug(
              "mover progress: {}/{} pages settled, {} moves so far, longest call {} us",
              pagesDone,
              pagesTotal,
              moveCalls,
              longestNanos / 1000);
        }
      }
    }
  }

  /** A growable array of longs. */
  static final class LongList {
    private long[] a;
    private int n;

    LongList(int capacity) {
      a = new long[Math.max(4, capacity)];
    }

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    long[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
