package tierd.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.model.PerNode;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ProcessKey;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Thresholds;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * One planning run: the working state of {@link Planner#plan}.
 *
 * <p>Nodes are addressed by a dense index {@code 0..k-1} (ascending ids); slot {@code k} of a bytes
 * row holds bytes on nodes that are in no tier. Segments (region ∩ VMA, snapped) live in parallel
 * primitive arrays and are named by their index {@code g}, and candidates by packed {@code long}
 * keys, so that a million regions cost a few large arrays rather than millions of objects for the
 * garbage collector to trace.
 */
final class Cycle {

  private static final long BASE_PAGE = 4096;
  private static final double FALLBACK_LOW = 0.01;
  private static final double FALLBACK_HIGH = 0.02;
  private static final byte DONE = 1;
  private static final byte DEAD = 2;
  private static final long MAX31 = (1L << 31) - 1;
  private static final byte COLD = (byte) HeatClass.COLD.ordinal();

  private final PlannerConfig cfg;
  private final PlanInput in;
  private final PlannerState state;
  private final Instant now;
  private final Thresholds th;

  private final int k;
  private final int w;
  private final int[] nodeId;
  private final Map<Integer, Integer> idxOf = new HashMap<>();
  private final int[] rank;
  private final long[] total;
  private final long[] free;
  private final long[] free0;
  private final long[] low;
  private final long[] high;
  private final long[] fillLimit;
  private final boolean[] overFill;
  private final int[][] promo;
  private final int[][] demo;

  private final TokenBucket promoteBucket;
  private final TokenBucket demoteBucket;
  private final long earnedPromote;
  private long promoteTokens;
  private long demoteTokens;
  private long capLeft;
  private final Instant residentSince;

  // segments, struct of arrays
  private List<ScoredRegion> regions;
  private final List<Proc> procList = new ArrayList<>();
  private int nSeg;
  private int[] segProc;
  private int[] segVma;
  private int[] segRegion;
  private long[] segStart;
  private long[] segEnd;
  private long[] segBytes; // row of w per segment
  private byte[] segCls; // HeatClass ordinal, heat and idle age kept beside the bytes for speed
  private double[] segHeat;
  private long[] segIdleSeconds;

  // promotion candidates: (segment, source node)
  private int nPc;
  private int[] pcSeg = new int[16];
  private int[] pcSrc = new int[16];

  // demotion candidates and exchange victims per source node: segment and flags
  private final int[][] entSeg;
  private final byte[][] entFlag;
  private final int[] entN;
  private final LongHeap[] victimHeaps;
  private final boolean[] exchangeFailed;

  private final List<Planned> planned = new ArrayList<>();
  private final List<Skip> skips = new ArrayList<>();
  private final long[] skipCount = new long[SkipReason.values().length];
  private final long[] skipByteCount = new long[SkipReason.values().length];
  private long skipsNotListed;
  private long demand;
  private int segments;
  private int stale;

  Cycle(PlannerConfig cfg, PlanInput in, PlannerState state) {
    this.cfg = cfg;
    this.in = in;
    this.state = state;
    this.now = in.now();
    this.th = in.thresholds();
    Topology topo = in.topology();
    List<NodeInfo> nodes = new ArrayList<>(topo.nodes().values());
    k = nodes.size();
    w = k + 1;
    nodeId = new int[k];
    rank = new int[k];
    total = new long[k];
    free = new long[k];
    free0 = new long[k];
    low = new long[k];
    high = new long[k];
    fillLimit = new long[k];
    overFill = new boolean[k];
    for (int i = 0; i < k; i++) {
      NodeInfo n = nodes.get(i);
      nodeId[i] = n.id();
      idxOf.put(n.id(), i);
    }
    for (int i = 0; i < k; i++) {
      NodeInfo n = nodes.get(i);
      rank[i] = topo.rankOf(n.id());
      total[i] = n.totalBytes();
      free[i] = n.freeBytes();
      free0[i] = n.freeBytes();
      low[i] =
          n.watermarks()
              .map(NodeInfo.Watermarks::lowBytes)
              .orElse((long) (total[i] * FALLBACK_LOW));
      high[i] =
          n.watermarks()
              .map(NodeInfo.Watermarks::highBytes)
              .orElse((long) (total[i] * FALLBACK_HIGH));
      fillLimit[i] = (long) (total[i] * cfg.maxFillOf(n.id()));
      overFill[i] = n.usedBytes() > fillLimit[i];
    }
    promo = new int[k][];
    demo = new int[k][];
    for (int i = 0; i < k; i++) {
      promo[i] = dense(rank[i] < 0 ? List.of() : topo.promotionTargets(nodeId[i]));
      demo[i] = dense(rank[i] < 0 ? List.of() : topo.demotionTargets(nodeId[i]));
    }

    promoteBucket =
        state.promoteBudget().refill(now, cfg.promoteBytesPerSecond(), cfg.promoteBurstBytes());
    demoteBucket =
        state.demoteBudget().refill(now, cfg.demoteBytesPerSecond(), cfg.demoteBurstBytes());
    earnedPromote =
        state.promoteBudget().earned(now, cfg.promoteBytesPerSecond(), cfg.promoteBurstBytes());
    promoteTokens = promoteBucket.tokensBytes();
    demoteTokens = demoteBucket.tokensBytes();
    capLeft = cfg.maxBytesPerCycle().bytes();
    residentSince = now.minus(cfg.minResidency());

    int cap = Math.max(16, in.regions().size() + 16);
    segProc = new int[cap];
    segVma = new int[cap];
    segRegion = new int[cap];
    segStart = new long[cap];
    segEnd = new long[cap];
    segBytes = new long[cap * w];
    segCls = new byte[cap];
    segHeat = new double[cap];
    segIdleSeconds = new long[cap];
    entSeg = new int[k][16];
    entFlag = new byte[k][16];
    entN = new int[k];
    victimHeaps = new LongHeap[k];
    exchangeFailed = new boolean[k];
  }

  private int[] dense(List<Integer> ids) {
    int[] out = new int[ids.size()];
    int n = 0;
    for (int id : ids) {
      Integer i = idxOf.get(id);
      if (i != null) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  PlanResult run() {
    build();
    relievePressure();
    promote();
    demoteProactively();
    return finish();
  }

  // ---------------------------------------------------------------------------------------------
  // Segments

  private ScoredRegion region(int g) {
    return regions.get(segRegion[g]);
  }

  private Proc proc(int g) {
    return procList.get(segProc[g]);
  }

  private Rule rule(int g) {
    return procList.get(segProc[g]).rule(segVma[g]);
  }

  private long bytes(int g, int src) {
    return segBytes[g * w + src];
  }

  private int addSegment(int proc, int vma, int region, long s, long e, long[] b) {
    if (nSeg == segStart.length) {
      int cap = nSeg + (nSeg >> 1) + 16;
      segProc = Arrays.copyOf(segProc, cap);
      segVma = Arrays.copyOf(segVma, cap);
      segRegion = Arrays.copyOf(segRegion, cap);
      segStart = Arrays.copyOf(segStart, cap);
      segEnd = Arrays.copyOf(segEnd, cap);
      segBytes = Arrays.copyOf(segBytes, cap * w);
      segCls = Arrays.copyOf(segCls, cap);
      segHeat = Arrays.copyOf(segHeat, cap);
      segIdleSeconds = Arrays.copyOf(segIdleSeconds, cap);
    }
    int g = nSeg++;
    segProc[g] = proc;
    segVma[g] = vma;
    segRegion[g] = region;
    segStart[g] = s;
    segEnd[g] = e;
    System.arraycopy(b, 0, segBytes, g * w, w);
    ScoredRegion r = regions.get(region);
    segCls[g] = (byte) r.heatClass().ordinal();
    segHeat[g] = r.heat();
    segIdleSeconds[g] = r.idleAge().getSeconds();
    return g;
  }

  private void addEntry(int t, int g) {
    int n = entN[t];
    if (n == entSeg[t].length) {
      entSeg[t] = Arrays.copyOf(entSeg[t], n * 2);
      entFlag[t] = Arrays.copyOf(entFlag[t], n * 2);
    }
    entSeg[t][n] = g;
    entN[t] = n + 1;
  }

  private void addPromotion(int g, int src) {
    if (nPc == pcSeg.length) {
      pcSeg = Arrays.copyOf(pcSeg, nPc * 2);
      pcSrc = Arrays.copyOf(pcSrc, nPc * 2);
    }
    pcSeg[nPc] = g;
    pcSrc[nPc] = src;
    nPc++;
  }

  // ---------------------------------------------------------------------------------------------
  // Building segments (region ∩ VMA) and candidates

  private void build() {
    Map<Integer, Integer> procs = new HashMap<>();
    for (ManagedProcess p : in.processes()) {
      procs.put(p.pid(), procList.size());
      procList.add(new Proc(p));
    }
    regions = sortedRegions(in.regions());
    List<RegionPlacement> placements = sortedPlacements(in.placements());
    long[] scratch = new long[w];
    int pp = 0;
    int pi = -1;
    Proc proc = null;
    int lastPid = Integer.MIN_VALUE;
    long prevEnd = Long.MIN_VALUE;
    int vp = 0;
    for (int ri = 0; ri < regions.size(); ri++) {
      ScoredRegion r = regions.get(ri);
      if (r.pid() != lastPid) {
        lastPid = r.pid();
        Integer i = procs.get(r.pid());
        pi = i == null ? -1 : i;
        proc = i == null ? null : procList.get(i);
        prevEnd = Long.MIN_VALUE;
        vp = 0;
      }
      if (proc == null || proc.p.startTimeTicks() != r.startTimeTicks()) {
        stale++;
        continue;
      }
      if (r.range().start() < prevEnd) {
        throw new IllegalArgumentException(
            "scored regions of pid " + r.pid() + " overlap at " + r.range());
      }
      prevEnd = r.range().end();
      HeatClass cls = r.heatClass();
      if (cls == HeatClass.WARM && !cfg.exchange()) {
        continue;
      }
      Vma[] vmas = proc.vmas;
      while (vp < vmas.length && vmas[vp].range().end() <= r.range().start()) {
        vp++;
      }
      for (int v = vp; v < vmas.length && vmas[v].range().start() < r.range().end(); v++) {
        Vma vma = vmas[v];
        Rule rule = proc.rule(v);
        long vs = vma.range().start();
        long ve = vma.range().end();
        long s = Math.max(r.range().start(), vs);
        long e = Math.min(r.range().end(), ve);
        if (s >= e) {
          continue;
        }
        segments++;
        long ss = snap(s, rule.unit, vs, ve);
        long se = snap(e, rule.unit, vs, ve);
        if (ss >= se) {
          if (cls == HeatClass.HOT) {
            reportAlignment(pi, v, ri, s, e);
          }
          continue;
        }
        // placement pointer: skip placements wholly before this segment
        while (pp < placements.size()) {
          RegionPlacement pl = placements.get(pp);
          if (pl.pid() < r.pid() || (pl.pid() == r.pid() && pl.range().end() <= ss)) {
            pp++;
          } else {
            break;
          }
        }
        for (int i = 0; i < w; i++) {
          scratch[i] = 0;
        }
        place(scratch, placements, pp, r.pid(), ss, se, proc, v);
        if (cls == HeatClass.HOT) {
          hotCandidates(pi, v, ri, ss, se, scratch);
        } else {
          coolEntries(pi, v, ri, ss, se, scratch);
        }
      }
    }
  }

  private void hotCandidates(int pi, int v, int ri, long s, long e, long[] b) {
    int g = -1;
    Rule rule = procList.get(pi).rule(v);
    for (int src = 0; src <= k; src++) {
      if (b[src] <= 0 || (src < k && promo[src].length == 0)) {
        continue; // nothing there, or already in the fastest tier
      }
      g = g >= 0 ? g : addSegment(pi, v, ri, s, e, b);
      if (src == k) {
        skip(
            g,
            k,
            Direction.PROMOTE,
            b[src],
            SkipReason.NO_TARGET,
            () -> "hot data on node(s) in no tier; no faster node can be chosen");
        continue;
      }
      if (rule.skip != null) {
        skip(g, src, Direction.PROMOTE, b[src], rule.skip, rule::skipText);
        continue;
      }
      Resolved res = rule.promotion(src);
      if (res.skip != null) {
        skip(g, src, Direction.PROMOTE, b[src], res.skip, () -> res.text);
        continue;
      }
      demand += b[src];
      addPromotion(g, src);
    }
  }

  private void coolEntries(int pi, int v, int ri, long s, long e, long[] b) {
    int g = -1;
    for (int src = 0; src < k; src++) {
      if (b[src] <= 0 || demo[src].length == 0) {
        continue;
      }
      g = g >= 0 ? g : addSegment(pi, v, ri, s, e, b);
      addEntry(src, g);
    }
  }

  private void reportAlignment(int pi, int v, int ri, long s, long e) {
    long[] b = new long[w];
    Proc proc = procList.get(pi);
    Rule rule = proc.rule(v);
    estimate(b, proc, v, e - s);
    int g = -1;
    for (int src = 0; src < k; src++) {
      if (b[src] > 0 && promo[src].length > 0) {
        g = g >= 0 ? g : addSegment(pi, v, ri, s, e, b);
        skip(
            g,
            src,
            Direction.PROMOTE,
            b[src],
            SkipReason.ALIGNMENT,
            () ->
                "hot range of "
                    + Texts.bytes(e - s)
                    + " is smaller than one "
                    + Texts.bytes(rule.unit)
                    + (rule.thp ? " THP folio" : " huge page")
                    + " once aligned; its folios move with their neighbours");
      }
    }
  }

  /** Bytes per node of {@code [s, e)}: from overlapping placements, the rest from the VMA. */
  private void place(
      long[] out, List<RegionPlacement> pls, int from, int pid, long s, long e, Proc proc, int v) {
    long covered = 0;
    for (int j = from; j < pls.size(); j++) {
      RegionPlacement pl = pls.get(j);
      if (pl.pid() != pid || pl.range().start() >= e) {
        break;
      }
      long ov = Math.min(e, pl.range().end()) - Math.max(s, pl.range().start());
      if (ov <= 0) {
        continue;
      }
      covered += ov;
      double share = (double) ov / pl.range().sizeBytes();
      NodeBytes nb = pl.bytesOnNode();
      for (int i = 0; i < nb.size(); i++) {
        Integer idx = idxOf.get(nb.node(i));
        out[idx == null ? k : idx] += Math.round(nb.bytesAt(i) * share);
      }
    }
    if (covered < e - s) {
      estimate(out, proc, v, e - s - covered);
    }
  }

  /** Adds the VMA's bytes per node in proportion {@code spanBytes / VMA size}, whole pages. */
  private void estimate(long[] out, Proc proc, int v, long spanBytes) {
    long[] vb = proc.vmaBytes(v);
    Vma vma = proc.vmas[v];
    double share = (double) spanBytes / vma.range().sizeBytes();
    long page = vma.pageBytes();
    for (int i = 0; i <= k; i++) {
      if (vb[i] > 0) {
        out[i] += (long) (vb[i] / page * share + 0.5) * page; // whole pages, rounded
      }
    }
  }

  /**
   * Snaps a range end inside a VMA to the nearest multiple of {@code unit}, so that neighbouring
   * pieces agree on it and no folio is split between two of them; the VMA's own ends stay.
   */
  static long snap(long b, long unit, long vs, long ve) {
    if (b <= vs) {
      return vs;
    }
    if (b >= ve) {
      return ve;
    }
    long down = b - Math.floorMod(b, unit);
    long up = down + unit;
    long r = (b - down < up - b) ? down : up;
    return Math.max(vs, Math.min(ve, r));
  }

  private static List<ScoredRegion> sortedRegions(List<ScoredRegion> regions) {
    for (int i = 1; i < regions.size(); i++) {
      ScoredRegion a = regions.get(i - 1);
      ScoredRegion b = regions.get(i);
      if (a.pid() > b.pid() || (a.pid() == b.pid() && a.range().compareTo(b.range()) > 0)) {
        List<ScoredRegion> copy = new ArrayList<>(regions);
        copy.sort(Comparator.comparingInt(ScoredRegion::pid).thenComparing(ScoredRegion::range));
        return copy;
      }
    }
    return regions;
  }

  private static List<RegionPlacement> sortedPlacements(List<RegionPlacement> pls) {
    Comparator<RegionPlacement> order =
        Comparator.comparingInt(RegionPlacement::pid).thenComparingLong(p -> p.range().start());
    List<RegionPlacement> out = pls;
    for (int i = 1; i < pls.size(); i++) {
      if (order.compare(pls.get(i - 1), pls.get(i)) > 0) {
        out = new ArrayList<>(pls);
        out.sort(order);
        break;
      }
    }
    for (int i = 1; i < out.size(); i++) {
      RegionPlacement a = out.get(i - 1);
      RegionPlacement b = out.get(i);
      if (a.pid() == b.pid() && a.range().end() > b.range().start()) {
        throw new IllegalArgumentException(
            "placements of pid " + a.pid() + " overlap: " + a.range() + " and " + b.range());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Demotion under pressure: free < low watermark → demote COLD until free reaches high

  private void relievePressure() {
    for (int t : byRank()) {
      if (demo[t].length == 0 || free[t] >= low[t]) {
        continue;
      }
      long need = high[t] - free[t];
      LongHeap heap = coldest(t, g -> segCls[g] == COLD);
      String why =
          "free "
              + Texts.bytes(free0[t])
              + " < low wmark "
              + Texts.bytes(low[t])
              + ", "
              + Texts.bytes(high[t] - free0[t])
              + " short of high";
      boolean budgetGone = false;
      while (need > 0 && !heap.isEmpty()) {
        int i = index(heap.poll());
        int g = entSeg[t][i];
        if (budgetGone) {
          entFlag[t][i] |= DONE;
          budgetSkip(g, t, Direction.DEMOTE, demoteTokens < capLeft);
          need -= bytes(g, t);
          continue;
        }
        long moved = demote(t, i, ReasonCode.COLD_PRESSURE, why, -1);
        if (moved < 0) {
          budgetGone = true;
          need -= bytes(g, t);
        } else {
          need -= moved;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Promotion of HOT data, with exchange when the target is full

  private void promote() {
    long[] keys = new long[nPc];
    for (int i = 0; i < nPc; i++) {
      int src = pcSrc[i];
      // data on a node over its fill limit first (seed 004), then by falling heat, then input order
      keys[i] = (overFill[src] ? 0 : 1L << 62) | (quantize(1 - segHeat[pcSeg[i]]) << 31) | i;
    }
    LongHeap heap = new LongHeap(keys, nPc);
    while (!heap.isEmpty()) {
      if (promoteTokens < BASE_PAGE || capLeft < BASE_PAGE) {
        // nothing more can move: the rest are held back by the budget, in no particular order
        for (int j = 0; j < heap.size(); j++) {
          int i = index(heap.at(j));
          budgetSkip(pcSeg[i], pcSrc[i], Direction.PROMOTE, promoteTokens < capLeft);
        }
        heap.clear();
        break;
      }
      promoteOne(index(heap.poll()));
    }
  }

  private void promoteOne(int c) {
    int g = pcSeg[c];
    int src = pcSrc[c];
    int[] targets = rule(g).promotion(src).targets;
    if (recentlyMoved(g, src, Direction.PROMOTE)) {
      residencySkip(g, src, Direction.PROMOTE);
      return;
    }
    Cut cut = fit(g, bytes(g, src), Math.min(promoteTokens, capLeft));
    if (cut == null) {
      budgetSkip(g, src, Direction.PROMOTE, promoteTokens < capLeft);
      return;
    }
    long b = cut.bytes;
    int chosen = -1;
    int choice = 0;
    int firstFillOk = -1;
    boolean fillBlocked = false;
    for (int i = 0; i < targets.length; i++) {
      int t = targets[i];
      if (!fillOk(t, b)) {
        fillBlocked = true;
        continue;
      }
      if (firstFillOk < 0) {
        firstFillOk = t;
      }
      if (roomOk(t, b)) {
        chosen = t;
        choice = i;
        break;
      }
    }
    long freeBefore = chosen >= 0 ? free[chosen] : 0;
    long exchanged = 0;
    // Exchange on the nearest target whose fill limit allows the data, else on the nearest target:
    // a node with less free memory than the hot data is over its (default 100 %) fill limit for
    // it, and that is the fullest case exchange exists for. The victims must free enough for both
    // the high watermark and the fill limit.
    int ex = firstFillOk >= 0 ? firstFillOk : targets.length > 0 ? targets[0] : -1;
    if (chosen < 0 && cfg.exchange() && ex >= 0 && !exchangeFailed[ex]) {
      long need = Math.max(b - (free[ex] - high[ex]), total[ex] - free[ex] + b - fillLimit[ex]);
      freeBefore = free[ex];
      capLeft -= b; // the victims must leave the cycle cap for the promotion they make room for
      exchanged = makeRoom(ex, need, g);
      capLeft += b;
      if (exchanged >= need) {
        chosen = ex;
        choice = indexOf(targets, ex);
        fillBlocked = false;
      } else {
        exchangeFailed[ex] = true;
      }
    }
    Cut partial = null;
    if (chosen < 0) {
      // Room for part of the range: promote the prefix that fits above the high watermark and under
      // the fill limit, as a budget-limited promotion does; the rest waits and is reported. Without
      // this a hot range larger than the room left never moved at all (found in the VM scenario
      // with the fast node near full).
      for (int i = 0; i < targets.length && partial == null; i++) {
        int t = targets[i];
        long room = Math.min(free[t] - high[t], fillLimit[t] - (total[t] - free[t]));
        if (room < BASE_PAGE) {
          continue;
        }
        Cut p = fit(g, bytes(g, src), Math.min(Math.min(promoteTokens, capLeft), room));
        if (p != null && roomOk(t, p.bytes) && fillOk(t, p.bytes)) {
          partial = p;
          chosen = t;
          choice = i;
          freeBefore = free[t];
        }
      }
    }
    if (chosen < 0) {
      boolean fill = fillBlocked && firstFillOk < 0;
      skip(
          g,
          src,
          Direction.PROMOTE,
          b,
          fill ? SkipReason.FILL_LIMIT : SkipReason.WATERMARK,
          () ->
              fill
                  ? "every allowed faster node is at its fill limit (" + nodeList(targets) + ")"
                  : "no allowed faster node has "
                      + Texts.bytes(b)
                      + " free above its high wmark ("
                      + roomList(targets)
                      + ")"
                      + (cfg.exchange() ? "; no colder data could make room" : ""));
      return;
    }
    ReasonCode code = overFill[src] ? ReasonCode.HOT_OVER_FILL_LIMIT : ReasonCode.HOT;
    StringBuilder text = new StringBuilder();
    text.append(hotText(region(g)))
        .append(" on node ")
        .append(nodeId[src])
        .append(" (tier ")
        .append(rank[src]);
    if (overFill[src]) {
      text.append(", ")
          .append(Texts.percent(used0(src) / (double) total[src]))
          .append(" used > maxFill ")
          .append(Texts.percent(cfg.maxFillOf(nodeId[src])));
    }
    text.append(") → node ")
        .append(nodeId[chosen])
        .append(" (tier ")
        .append(rank[chosen])
        .append(", ")
        .append(
            choice == 0
                ? "nearest faster allowed"
                : ordinal(choice + 1) + " nearest faster allowed, nearer ones full")
        .append(", ");
    if (exchanged > 0) {
      text.append("room made by demoting ")
          .append(Texts.bytes(exchanged))
          .append(" of colder data)");
    } else {
      text.append(Texts.bytes(freeBefore - high[chosen])).append(" free above high wmark)");
    }
    Cut done = partial != null ? partial : cut;
    apply(g, src, chosen, done, Direction.PROMOTE, code, text.toString());
    if (partial != null) {
      roomRemainderSkip(g, src, partial, chosen);
    } else if (cut.end < segEnd[g]) {
      remainderSkip(g, src, cut, Direction.PROMOTE);
    }
  }

  /** The rest of a hot range whose first part filled the room left on node {@code t}. */
  private void roomRemainderSkip(int g, int src, Cut cut, int t) {
    boolean fill = total[t] - free[t] >= fillLimit[t] - BASE_PAGE;
    record(
        g,
        new AddressRange(cut.end, segEnd[g]),
        Direction.PROMOTE,
        src,
        bytes(g, src) - cut.bytes,
        fill ? SkipReason.FILL_LIMIT : SkipReason.WATERMARK,
        () ->
            "the rest of a hot range whose first "
                + Texts.bytes(cut.bytes)
                + " filled the room left on node "
                + nodeId[t]
                + (fill ? " up to its fill limit" : " down to its high wmark"));
  }

  /**
   * Demotes the coldest data of node {@code t} (COLD first, then WARM clearly colder than the
   * candidate segment {@code cand}: heat ≤ candidate heat − gap) until {@code need} bytes are
   * freed. All or nothing: on failure it undoes what it planned and returns 0.
   */
  private long makeRoom(int t, long need, int cand) {
    LongHeap heap = victimHeaps[t];
    if (heap == null) {
      heap = coldest(t, g -> rule(g).skip == null);
      victimHeaps[t] = heap;
    }
    ScoredRegion candRegion = region(cand);
    double maxWarm = candRegion.heat() - th.gap();
    int mark = planned.size();
    List<Long> popped = new ArrayList<>();
    List<Integer> moved = new ArrayList<>();
    long freed = 0;
    String why =
        "making room for hotter data (pid "
            + proc(cand).p.pid()
            + " "
            + new AddressRange(segStart[cand], segEnd[cand])
            + ", "
            + hotText(candRegion)
            + ")";
    while (freed < need && !heap.isEmpty()) {
      int i = index(heap.peek());
      int g = entSeg[t][i];
      if (entFlag[t][i] != 0) {
        heap.poll();
        continue;
      }
      if (segCls[g] != COLD && segHeat[g] > maxWarm) {
        break; // WARM victims come by rising heat: none further qualifies
      }
      popped.add(heap.poll());
      long b = demote(t, i, ReasonCode.EXCHANGE, why, cand);
      if (b < 0) {
        break; // demotion budget or cycle cap gone
      }
      if (b > 0) {
        moved.add(i);
      }
      freed += b;
    }
    if (freed < need) {
      for (int p = planned.size() - 1; p >= mark; p--) {
        undo(planned.remove(p));
      }
      for (int i : moved) {
        entFlag[t][i] &= ~DONE;
      }
      freed = 0;
    }
    for (long key : popped) {
      if (entFlag[t][index(key)] == 0) {
        heap.add(key);
      }
    }
    return freed;
  }

  // ---------------------------------------------------------------------------------------------
  // Proactive demotion of data idle for the configured age

  private void demoteProactively() {
    if (cfg.proactiveDemotionAge().isEmpty()) {
      return;
    }
    Duration age = cfg.proactiveDemotionAge().get();
    long ageNanos = age.toNanos();
    String why = "idle ≥ proactive age " + Texts.duration(age);
    for (int t : byRank()) {
      if (demo[t].length == 0) {
        continue;
      }
      LongHeap heap =
          coldest(t, g -> segCls[g] == COLD && region(g).idleAge().toNanos() >= ageNanos);
      boolean budgetGone = false;
      while (!heap.isEmpty()) {
        int i = index(heap.poll());
        if (budgetGone) {
          entFlag[t][i] |= DONE;
          budgetSkip(entSeg[t][i], t, Direction.DEMOTE, demoteTokens < capLeft);
        } else if (demote(t, i, ReasonCode.COLD_PROACTIVE, why, -1) < 0) {
          budgetGone = true;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One demotion

  /**
   * Demotes entry {@code i} of node {@code src} to the nearest allowed node of the next lower
   * allowed tier. Returns the bytes planned, 0 when a rule held it back (recorded as a skip unless
   * it is an exchange victim for segment {@code cand}, which is then marked dead), or -1 when the
   * budget or the cycle cap is used up.
   */
  private long demote(int src, int i, ReasonCode code, String why, int cand) {
    boolean victim = cand >= 0;
    int g = entSeg[src][i];
    Rule rule = rule(g);
    if (rule.skip != null) {
      return heldBack(src, i, victim, rule.skip, rule::skipText);
    }
    Resolved res = rule.demotion(src);
    if (res.skip != null) {
      return heldBack(src, i, victim, res.skip, () -> res.text);
    }
    if (recentlyMoved(g, src, Direction.DEMOTE)) {
      if (victim) {
        entFlag[src][i] |= DEAD;
      } else {
        entFlag[src][i] |= DONE;
        residencySkip(g, src, Direction.DEMOTE);
      }
      return 0;
    }
    Cut cut = fit(g, bytes(g, src), Math.min(demoteTokens, capLeft));
    if (cut == null) {
      if (!victim) {
        entFlag[src][i] |= DONE;
        budgetSkip(g, src, Direction.DEMOTE, demoteTokens < capLeft);
      }
      return -1;
    }
    long b = cut.bytes;
    int chosen = -1;
    int choice = 0;
    boolean fillBlocked = false;
    boolean roomBlocked = false;
    for (int j = 0; j < res.targets.length; j++) {
      int t = res.targets[j];
      if (!fillOk(t, b)) {
        fillBlocked = true;
      } else if (!roomOk(t, b)) {
        roomBlocked = true;
      } else {
        chosen = t;
        choice = j;
        break;
      }
    }
    if (chosen < 0) {
      boolean fill = fillBlocked && !roomBlocked;
      return heldBack(
          src,
          i,
          victim,
          fill ? SkipReason.FILL_LIMIT : SkipReason.WATERMARK,
          () ->
              fill
                  ? "every allowed node of the next lower tier is at its fill limit ("
                      + fillList(res.targets)
                      + ")"
                  : "no allowed node of the next lower tier has "
                      + Texts.bytes(b)
                      + " free above its high wmark ("
                      + roomList(res.targets)
                      + ")");
    }
    StringBuilder text = new StringBuilder();
    ScoredRegion r = region(g);
    if (victim) {
      text.append("coldest on full node ")
          .append(nodeId[src])
          .append(" (")
          .append(r.heatClass().name().toLowerCase(Locale.ROOT))
          .append(", heat ")
          .append(Texts.heat(r.heat()))
          .append(", idle ")
          .append(Texts.duration(r.idleAge()))
          .append(")");
    } else {
      text.append("cold (idle ")
          .append(Texts.duration(r.idleAge()))
          .append(", heat ")
          .append(Texts.heat(r.heat()))
          .append(") on node ")
          .append(nodeId[src])
          .append(" (tier ")
          .append(rank[src])
          .append(code == ReasonCode.COLD_PRESSURE ? ", " + why : "")
          .append(")");
    }
    text.append(" → node ")
        .append(nodeId[chosen])
        .append(" (tier ")
        .append(rank[chosen])
        .append(", ")
        .append(choice == 0 ? "nearest" : ordinal(choice + 1) + " nearest")
        .append(" allowed in the next lower tier, ")
        .append(Texts.bytes(free[chosen] - high[chosen]))
        .append(" free above high wmark)");
    if (victim || code == ReasonCode.COLD_PROACTIVE) {
      text.append(", ").append(why);
    }
    apply(g, src, chosen, cut, Direction.DEMOTE, code, text.toString());
    entFlag[src][i] |= DONE;
    if (cut.end < segEnd[g] && !victim) {
      remainderSkip(g, src, cut, Direction.DEMOTE);
    }
    return b;
  }

  private long heldBack(int src, int i, boolean victim, SkipReason reason, Supplier<String> text) {
    if (victim) {
      entFlag[src][i] |= DEAD;
    } else {
      entFlag[src][i] |= DONE;
      int g = entSeg[src][i];
      skip(g, src, Direction.DEMOTE, bytes(g, src), reason, text);
    }
    return 0;
  }

  /**
   * A heap of the not-yet-handled entries of node {@code t} whose segment passes {@code filter},
   * coldest first: COLD before WARM; COLD by idle age (longest first, to the second), WARM by heat
   * (lowest first, so that exchange can stop at the first WARM entry that is too hot); then input
   * order.
   */
  private LongHeap coldest(int t, IntPredicate filter) {
    int count = entN[t];
    long[] keys = new long[count];
    int n = 0;
    for (int i = 0; i < count; i++) {
      int g = entSeg[t][i];
      if (entFlag[t][i] != 0 || !filter.test(g)) {
        continue;
      }
      long primary;
      long cls;
      if (segCls[g] == COLD) {
        cls = 0;
        primary = MAX31 - Math.min(MAX31, segIdleSeconds[g]);
      } else {
        cls = 1L << 62;
        primary = quantize(segHeat[g]);
      }
      keys[n++] = cls | (primary << 31) | i;
    }
    return new LongHeap(keys, n);
  }

  /** A fraction in [0, 1] as a 31-bit integer. */
  private static long quantize(double fraction) {
    return (long) (Math.max(0, Math.min(1, fraction)) * MAX31);
  }

  /** The list index packed into the low 31 bits of a heap key. */
  private static int index(long key) {
    return (int) (key & MAX31);
  }

  // ---------------------------------------------------------------------------------------------
  // Shared pieces

  private void apply(int g, int src, int to, Cut cut, Direction dir, ReasonCode code, String text) {
    long b = cut.bytes;
    free[src] += b;
    free[to] -= b;
    if (dir == Direction.PROMOTE) {
      promoteTokens -= b;
    } else {
      demoteTokens -= b;
    }
    capLeft -= b;
    planned.add(new Planned(g, src, to, cut.end, b, dir, code, text));
  }

  private void undo(Planned p) {
    free[p.src] -= p.bytes;
    free[p.to] += p.bytes;
    if (p.dir == Direction.PROMOTE) {
      promoteTokens += p.bytes;
    } else {
      demoteTokens += p.bytes;
    }
    capLeft += p.bytes;
  }

  /** The prefix of a segment that fits {@code avail} bytes, aligned; null if not even one unit. */
  private Cut fit(int g, long bytes, long avail) {
    if (bytes <= avail) {
      return new Cut(segEnd[g], bytes);
    }
    long start = segStart[g];
    long len = segEnd[g] - start;
    long want = (long) (len * ((double) avail / bytes));
    long end = start + want;
    end -= Math.floorMod(end, rule(g).unit);
    if (end <= start) {
      return null;
    }
    long b = (long) (bytes * ((double) (end - start) / len));
    return new Cut(end, Math.min(b, avail));
  }

  private boolean fillOk(int t, long b) {
    return total[t] - free[t] + b <= fillLimit[t];
  }

  private boolean roomOk(int t, long b) {
    return free[t] - b >= high[t];
  }

  private long used0(int i) {
    return Math.max(0, total[i] - free0[i]);
  }

  /**
   * Whether moving segment {@code g}'s bytes on node {@code src} in direction {@code dir} would
   * move data again less than {@code minResidency} after it moved: back the other way, or onward
   * from the node it moved to. Earlier moves the same way to another node do not hold it back: the
   * pages they moved are already off {@code src}, and the rest of the range may follow.
   */
  private boolean recentlyMoved(int g, int src, Direction dir) {
    if (cfg.minResidency().isZero()) {
      return false;
    }
    return lastBlockingMove(g, src, dir)
        .map(en -> en.movedAt().isAfter(residentSince))
        .orElse(false);
  }

  private Optional<ResidencyHistory.Entry> lastBlockingMove(int g, int src, Direction dir) {
    int srcId = nodeId[src];
    return state
        .residency()
        .lastMove(
            proc(g).key,
            new AddressRange(segStart[g], segEnd[g]),
            en -> en.direction() != dir || en.toNode() == srcId);
  }

  private void residencySkip(int g, int src, Direction dir) {
    skip(
        g,
        src,
        dir,
        bytes(g, src),
        SkipReason.RESIDENCY,
        () ->
            lastBlockingMove(g, src, dir)
                .map(
                    en ->
                        "moved ("
                            + en.direction().name().toLowerCase(Locale.ROOT)
                            + ") "
                            + Texts.duration(Duration.between(en.movedAt(), now))
                            + " ago, less than the minimum residency "
                            + Texts.duration(cfg.minResidency()))
                .orElse("moved recently"));
  }

  private void budgetSkip(int g, int src, Direction dir, boolean bucket) {
    SkipReason reason = bucket ? SkipReason.BUDGET : SkipReason.CYCLE_CAP;
    if (skips.size() >= cfg.maxSkipsListed()) {
      count(reason, bytes(g, src)); // the fast path: a million held back cost no strings
      return;
    }
    long tokens = dir == Direction.PROMOTE ? promoteTokens : demoteTokens;
    long rate = dir == Direction.PROMOTE ? cfg.promoteBytesPerSecond() : cfg.demoteBytesPerSecond();
    long left = capLeft;
    skip(
        g,
        src,
        dir,
        bytes(g, src),
        reason,
        () ->
            bucket
                ? dir.name().toLowerCase(Locale.ROOT)
                    + " budget "
                    + Texts.bytes(rate)
                    + "/s has "
                    + Texts.bytes(tokens)
                    + " left this cycle"
                : "cycle cap "
                    + Texts.bytes(cfg.maxBytesPerCycle().bytes())
                    + " has "
                    + Texts.bytes(left)
                    + " left");
  }

  private void remainderSkip(int g, int src, Cut cut, Direction dir) {
    boolean bucket = (dir == Direction.PROMOTE ? promoteTokens : demoteTokens) < capLeft;
    record(
        g,
        new AddressRange(cut.end, segEnd[g]),
        dir,
        src,
        bytes(g, src) - cut.bytes,
        bucket ? SkipReason.BUDGET : SkipReason.CYCLE_CAP,
        () ->
            "the rest of a range whose first "
                + Texts.bytes(cut.bytes)
                + " fit "
                + (bucket ? "this cycle's budget" : "the cycle cap"));
  }

  private void skip(
      int g, int src, Direction dir, long bytes, SkipReason reason, Supplier<String> text) {
    record(g, null, dir, src, bytes, reason, text);
  }

  /**
   * Counts a skipped candidate and lists it while the listing has room; its text is only built when
   * listed.
   */
  private void record(
      int g,
      AddressRange range,
      Direction dir,
      int src,
      long bytes,
      SkipReason reason,
      Supplier<String> text) {
    if (skips.size() >= cfg.maxSkipsListed()) {
      count(reason, bytes);
      return;
    }
    skipCount[reason.ordinal()]++;
    skipByteCount[reason.ordinal()] += bytes;
    ManagedProcess p = proc(g).p;
    skips.add(
        new Skip(
            p.pid(),
            p.startTimeTicks(),
            range != null ? range : new AddressRange(segStart[g], segEnd[g]),
            dir,
            src < k ? nodeId[src] : -1,
            bytes,
            reason,
            text.get()));
  }

  private void count(SkipReason reason, long bytes) {
    skipCount[reason.ordinal()]++;
    skipByteCount[reason.ordinal()] += bytes;
    skipsNotListed++;
  }

  private String hotText(ScoredRegion r) {
    return "hot ("
        + Texts.heat(r.heat())
        + " ≥ "
        + Texts.heat(th.hot())
        + " for "
        + r.hotWindows()
        + " windows)";
  }

  private String nodeList(int[] targets) {
    StringBuilder sb = new StringBuilder();
    for (int t : targets) {
      sb.append(sb.length() == 0 ? "" : ", ").append("node ").append(nodeId[t]);
    }
    return sb.toString();
  }

  private String fillList(int[] targets) {
    StringBuilder sb = new StringBuilder();
    for (int t : targets) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append("node ")
          .append(nodeId[t])
          .append(' ')
          .append(Texts.percent((total[t] - free[t]) / (double) Math.max(1, total[t])))
          .append(" used, maxFill ")
          .append(Texts.percent(cfg.maxFillOf(nodeId[t])));
    }
    return sb.toString();
  }

  private String roomList(int[] targets) {
    StringBuilder sb = new StringBuilder();
    for (int t : targets) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append("node ")
          .append(nodeId[t])
          .append(' ')
          .append(Texts.bytes(Math.max(0, free[t] - high[t])))
          .append(" above high");
    }
    return sb.toString();
  }

  private static String ordinal(int n) {
    return switch (n) {
      case 2 -> "2nd";
      case 3 -> "3rd";
      default -> n + "th";
    };
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /** Node indices fastest tier first. */
  private int[] byRank() {
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> rank[i]).thenComparingInt(i -> i));
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Result

  private PlanResult finish() {
    Instant forgetBefore = now.minus(cfg.historyRetention());
    List<Move> moves = new ArrayList<>(planned.size());
    int pingPongs = 0;
    long promoted = 0;
    long demoted = 0;
    for (Planned p : planned) {
      int g = p.seg;
      Proc proc = proc(g);
      Rule rule = rule(g);
      AddressRange range = new AddressRange(segStart[g], p.end);
      Optional<ResidencyHistory.Entry> last = state.residency().lastMove(proc.key, range);
      boolean pingPong =
          last.isPresent()
              && !last.get().movedAt().isBefore(forgetBefore)
              && last.get().direction() != p.dir;
      if (pingPong) {
        pingPongs++;
      }
      if (p.dir == Direction.PROMOTE) {
        promoted += p.bytes;
      } else {
        demoted += p.bytes;
      }
      moves.add(
          new Move(
              proc.p.pid(),
              proc.p.startTimeTicks(),
              List.of(range),
              NodeSet.of(nodeId[p.src]),
              nodeId[p.to],
              p.bytes,
              p.dir,
              rule.vma.pageBytes(),
              rule.thp,
              rule.moveAll,
              pingPong,
              new Reason(p.code, p.text)));
    }
    List<MigrationPlan.NodeProjection> nodes = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      nodes.add(
          new MigrationPlan.NodeProjection(
              nodeId[i], rank[i], total[i], free0[i], free[i], low[i], high[i], fillLimit[i]));
    }
    MigrationPlan.Summary summary =
        new MigrationPlan.Summary(
            promoted,
            demoted,
            demand,
            earnedPromote,
            promoteBucket.tokensBytes(),
            demoteBucket.tokensBytes(),
            cfg.maxBytesPerCycle().bytes(),
            pingPongs,
            in.regions().size(),
            segments,
            stale,
            th,
            nodes);
    EnumMap<SkipReason, Long> skipCounts = new EnumMap<>(SkipReason.class);
    EnumMap<SkipReason, Long> skipBytes = new EnumMap<>(SkipReason.class);
    for (SkipReason reason : SkipReason.values()) {
      if (skipCount[reason.ordinal()] > 0) {
        skipCounts.put(reason, skipCount[reason.ordinal()]);
        skipBytes.put(reason, skipByteCount[reason.ordinal()]);
      }
    }
    MigrationPlan plan =
        new MigrationPlan(now, moves, skips, skipCounts, skipBytes, skipsNotListed, summary);
    Set<ProcessKey> alive = new HashSet<>();
    for (ManagedProcess p : in.processes()) {
      alive.add(new ProcessKey(p.pid(), p.startTimeTicks()));
    }
    PlannerState next =
        new PlannerState(
            new TokenBucket(promoteTokens, promoteBucket.refilledAt()),
            new TokenBucket(demoteTokens, demoteBucket.refilledAt()),
            state.residency().withMoves(moves, now, forgetBefore, alive),
            state.pingPongsTotal() + pingPongs);
    return new PlanResult(plan, next);
  }

  // ---------------------------------------------------------------------------------------------
  // Working types

  private record Cut(long end, long bytes) {}

  private record Resolved(int[] targets, SkipReason skip, String text) {}

  private record Planned(
      int seg,
      int src,
      int to,
      long end,
      long bytes,
      Direction dir,
      ReasonCode code,
      String text) {}

  /** A managed process with its VMAs sorted and their rules built on first use. */
  private final class Proc {
    final ManagedProcess p;
    final ProcessKey key;
    final Vma[] vmas;
    final Rule[] rules;
    final long[][] vmaBytes;

    Proc(ManagedProcess p) {
      this.p = p;
      this.key = new ProcessKey(p.pid(), p.startTimeTicks());
      Vma[] vs = p.vmas().toArray(new Vma[0]);
      boolean sorted = true;
      for (int i = 1; i < vs.length && sorted; i++) {
        sorted = vs[i - 1].range().start() <= vs[i].range().start();
      }
      if (!sorted) {
        Arrays.sort(vs, Comparator.comparingLong(v -> v.range().start()));
      }
      this.vmas = vs;
      this.rules = new Rule[vs.length];
      this.vmaBytes = new long[vs.length][];
    }

    Rule rule(int v) {
      Rule r = rules[v];
      if (r == null) {
        r = new Rule(this, vmas[v]);
        rules[v] = r;
      }
      return r;
    }

    long[] vmaBytes(int v) {
      long[] b = vmaBytes[v];
      if (b == null) {
        b = new long[w];
        Vma vma = vmas[v];
        PerNode pages = vma.pages();
        for (int j = 0; j < pages.size(); j++) {
          Integer idx = idxOf.get(pages.node(j));
          b[idx == null ? k : idx] += pages.count(j) * vma.pageBytes();
        }
        vmaBytes[v] = b;
      }
      return b;
    }
  }

  private final class Rule {
    final Proc proc;
    final Vma vma;
    final SkipReason skip;
    final NodeSet promoteAllowed;
    final NodeSet demoteAllowed;
    final long unit;
    final boolean thp;
    final boolean moveAll;
    private final Resolved[] promoRes = new Resolved[k];
    private final Resolved[] demoRes = new Resolved[k];

    Rule(Proc proc, Vma vma) {
      this.proc = proc;
      this.vma = vma;
      NodeSet cpuset = proc.p.allowedNodes();
      MemPolicy pol = vma.policy();
      SkipReason s = null;
      NodeSet up = cpuset;
      NodeSet down = cpuset;
      MemPolicy.Mode mode = pol.mode();
      if (mode == MemPolicy.Mode.PREFERRED
          && (cfg.preferred() == PlannerConfig.PreferredPolicy.IGNORE || pol.nodes().isEmpty())) {
        mode = MemPolicy.Mode.DEFAULT;
      }
      switch (mode) {
        case DEFAULT, LOCAL -> {}
        case BIND -> {
          up = cpuset.intersect(pol.nodes());
          down = up;
        }
        case PREFERRED, PREFERRED_MANY -> up = cpuset.intersect(pol.nodes());
        case INTERLEAVE, WEIGHTED_INTERLEAVE -> {
          if (cfg.moveInterleaved()) {
            up = cpuset.intersect(pol.nodes());
            down = up;
          } else {
            s = SkipReason.INTERLEAVE;
          }
        }
        default -> {
          s = SkipReason.POLICY;
        }
      }
      if (s == null && vma.hugetlb() && cfg.hugetlb() == PlannerConfig.HugetlbMode.SKIP) {
        s = SkipReason.HUGETLB;
      }
      if (s == null && vma.shared() && !cfg.moveShared()) {
        s = SkipReason.SHARED;
      }
      this.skip = s;
      this.promoteAllowed = up;
      this.demoteAllowed = down;
      long thpBytes = cfg.thpAlign().bytes();
      this.thp = !vma.hugetlb() && thpBytes > 0;
      this.unit = vma.hugetlb() ? vma.pageBytes() : thp ? thpBytes : vma.pageBytes();
      this.moveAll = vma.shared() && cfg.moveShared();
    }

    /** Why this VMA is left alone, for reports; built only when a report asks. */
    String skipText() {
      if (skip == null) {
        return null;
      }
      MemPolicy pol = vma.policy();
      return switch (skip) {
        case INTERLEAVE ->
            "VMA "
                + vma.range()
                + " has policy "
                + pol
                + "; interleaved VMAs are left alone (planner.moveInterleaved=false)";
        case POLICY -> "VMA " + vma.range() + " has an unknown policy (" + pol + "); left alone";
        case HUGETLB ->
            "hugetlb VMA "
                + vma.range()
                + " ("
                + Texts.bytes(vma.pageBytes())
                + " pages) is left alone (planner.hugetlb=SKIP)";
        case SHARED ->
            "shared VMA "
                + vma.range()
                + " (mapmax "
                + vma.mapmax()
                + ", perms "
                + vma.perms()
                + ") needs MPOL_MF_MOVE_ALL (planner.moveShared=false)";
        default -> skip.name();
      };
    }

    Resolved promotion(int src) {
      Resolved r = promoRes[src];
      if (r == null) {
        r = resolve(src, promo[src], promoteAllowed, false);
        promoRes[src] = r;
      }
      return r;
    }

    Resolved demotion(int src) {
      Resolved r = demoRes[src];
      if (r == null) {
        r = resolve(src, demo[src], demoteAllowed, true);
        demoRes[src] = r;
      }
      return r;
    }

    private Resolved resolve(int src, int[] candidates, NodeSet policyAllowed, boolean down) {
      NodeSet cpuset = proc.p.allowedNodes();
      int[] inCpuset = filter(candidates, cpuset);
      String way = down ? "slower" : "faster";
      if (inCpuset.length == 0) {
        return new Resolved(
            null,
            SkipReason.CPUSET,
            "cpuset.mems.effective ∩ Mems_allowed = "
                + cpuset
                + " has no node "
                + way
                + " than node "
                + nodeId[src]
                + " ("
                + way
                + ": "
                + ids(candidates)
                + ")");
      }
      int[] allowed = filter(inCpuset, policyAllowed);
      if (allowed.length == 0) {
        return new Resolved(
            null,
            SkipReason.POLICY,
            "policy "
                + vma.policy()
                + " allows no node "
                + way
                + " than node "
                + nodeId[src]
                + " ("
                + way
                + " in cpuset: "
                + ids(inCpuset)
                + ")");
      }
      if (down) {
        int nextRank = rank[allowed[0]];
        for (int t : allowed) {
          nextRank = Math.min(nextRank, rank[t]);
        }
        int n = 0;
        int[] same = new int[allowed.length];
        for (int t : allowed) {
          if (rank[t] == nextRank) {
            same[n++] = t;
          }
        }
        allowed = Arrays.copyOf(same, n);
      }
      return new Resolved(allowed, null, null);
    }

    private int[] filter(int[] nodes, NodeSet allowed) {
      int[] out = new int[nodes.length];
      int n = 0;
      for (int t : nodes) {
        if (allowed.contains(nodeId[t])) {
          out[n++] = t;
        }
      }
      return Arrays.copyOf(out, n);
    }

    private String ids(int[] nodes) {
      StringBuilder sb = new StringBuilder();
      for (int t : nodes) {
        sb.append(sb.length() == 0 ? "" : ",").append(nodeId[t]);
      }
      return sb.toString();
    }
  }
}
