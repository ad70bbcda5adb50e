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
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ProcessKey;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Thresholds;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * One planning run: the working state of {@link Planner#plan}. Nodes are addressed by a dense index
 * (their position in the topology's ascending ids); slot {@code k} of a bytes array holds bytes on
 * nodes that are in no tier.
 */
final class Cycle {

  private static final long BASE_PAGE = 4096;
  private static final double FALLBACK_LOW = 0.01;
  private static final double FALLBACK_HIGH = 0.02;

  private final PlannerConfig cfg;
  private final PlanInput in;
  private final PlannerState state;
  private final Instant now;
  private final Thresholds th;

  private final int k;
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
  private final List<Planned> planned = new ArrayList<>();
  private final List<Skip> skips = new ArrayList<>();
  private final EnumMap<SkipReason, Long> skipCounts = new EnumMap<>(SkipReason.class);
  private final EnumMap<SkipReason, Long> skipBytes = new EnumMap<>(SkipReason.class);
  private long skipsNotListed;
  private long demand;
  private int segments;
  private int stale;

  private final List<PromoCand> promos = new ArrayList<>();
  private final List<List<Entry>> entries;
  private final List<PriorityQueue<Entry>> victimHeaps;
  private final boolean[] exchangeFailed;

  Cycle(PlannerConfig cfg, PlanInput in, PlannerState state) {
    this.cfg = cfg;
    this.in = in;
    this.state = state;
    this.now = in.now();
    this.th = in.thresholds();
    Topology topo = in.topology();
    List<NodeInfo> nodes = new ArrayList<>(topo.nodes().values());
    k = nodes.size();
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

    entries = new ArrayList<>(k);
    victimHeaps = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      entries.add(new ArrayList<>());
      victimHeaps.add(null);
    }
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
  // Building segments (region ∩ VMA) and candidates

  private void build() {
    Map<Integer, Proc> procs = new HashMap<>();
    for (ManagedProcess p : in.processes()) {
      procs.put(p.pid(), new Proc(p));
    }
    List<ScoredRegion> regions = sortedRegions(in.regions());
    List<RegionPlacement> placements = sortedPlacements(in.placements());
    long[] scratch = new long[k + 1];
    int pp = 0;
    Proc proc = null;
    int lastPid = Integer.MIN_VALUE;
    long prevEnd = Long.MIN_VALUE;
    int vp = 0;
    for (ScoredRegion r : regions) {
      if (r.pid() != lastPid) {
        lastPid = r.pid();
        proc = procs.get(r.pid());
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
            reportAlignment(proc, rule, v, r, s, e);
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
        Arrays.fill(scratch, 0);
        place(scratch, placements, pp, r.pid(), ss, se, proc, v);
        if (cls == HeatClass.HOT) {
          hotCandidates(proc, rule, r, ss, se, scratch);
        } else {
          coolEntries(proc, rule, r, ss, se, scratch);
        }
      }
    }
  }

  private void hotCandidates(Proc proc, Rule rule, ScoredRegion r, long s, long e, long[] b) {
    Segment seg = null;
    for (int src = 0; src <= k; src++) {
      if (b[src] <= 0) {
        continue;
      }
      if (src == k) {
        seg = seg != null ? seg : new Segment(proc, rule, r, s, e, b.clone());
        skip(
            seg,
            k,
            Direction.PROMOTE,
            b[src],
            SkipReason.NO_TARGET,
            "hot data on node(s) in no tier; no faster node can be chosen");
        continue;
      }
      if (promo[src].length == 0) {
        continue; // already in the fastest tier
      }
      seg = seg != null ? seg : new Segment(proc, rule, r, s, e, b.clone());
      if (rule.skip != null) {
        skip(seg, src, Direction.PROMOTE, b[src], rule.skip, rule.skipText);
        continue;
      }
      Resolved res = rule.promotion(src);
      if (res.skip != null) {
        skip(seg, src, Direction.PROMOTE, b[src], res.skip, res.text);
        continue;
      }
      demand += b[src];
      promos.add(new PromoCand(seg, src, res.targets, overFill[src]));
    }
  }

  private void coolEntries(Proc proc, Rule rule, ScoredRegion r, long s, long e, long[] b) {
    Segment seg = null;
    for (int src = 0; src < k; src++) {
      if (b[src] <= 0 || demo[src].length == 0) {
        continue;
      }
      seg = seg != null ? seg : new Segment(proc, rule, r, s, e, b.clone());
      entries.get(src).add(new Entry(seg, src));
    }
  }

  private void reportAlignment(Proc proc, Rule rule, int v, ScoredRegion r, long s, long e) {
    long[] b = new long[k + 1];
    estimate(b, proc, v, e - s);
    Segment seg = new Segment(proc, rule, r, s, e, b);
    for (int src = 0; src < k; src++) {
      if (b[src] > 0 && promo[src].length > 0) {
        skip(
            seg,
            src,
            Direction.PROMOTE,
            b[src],
            SkipReason.ALIGNMENT,
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
        out[i] += Math.round(vb[i] / page * share) * page;
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
    Comparator<ScoredRegion> order =
        Comparator.comparingInt(ScoredRegion::pid)
            .thenComparingLong(r -> r.range().start())
            .thenComparingLong(r -> r.range().end());
    for (int i = 1; i < regions.size(); i++) {
      if (order.compare(regions.get(i - 1), regions.get(i)) > 0) {
        List<ScoredRegion> copy = new ArrayList<>(regions);
        copy.sort(order);
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
    Integer[] order = byRank();
    for (int t : order) {
      if (demo[t].length == 0 || free[t] >= low[t]) {
        continue;
      }
      long need = high[t] - free[t];
      PriorityQueue<Entry> heap = new PriorityQueue<>(COLDEST);
      for (Entry e : entries.get(t)) {
        if (!e.done && e.seg.region.heatClass() == HeatClass.COLD) {
          heap.add(e);
        }
      }
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
        Entry e = heap.poll();
        if (budgetGone) {
          budgetSkip(e, Direction.DEMOTE);
          need -= e.seg.bytes[e.src];
          continue;
        }
        long moved = demote(e, ReasonCode.COLD_PRESSURE, why, null);
        if (moved < 0) {
          budgetGone = true;
          need -= e.seg.bytes[e.src];
        } else {
          need -= moved;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Promotion of HOT data, with exchange when the target is full

  private void promote() {
    PriorityQueue<PromoCand> heap = new PriorityQueue<>(promos.size() + 1, HOTTEST);
    heap.addAll(promos);
    while (!heap.isEmpty()) {
      PromoCand c = heap.poll();
      if (promoteTokens < BASE_PAGE || capLeft < BASE_PAGE) {
        budgetSkip(c.seg, c.src, Direction.PROMOTE, promoteTokens < capLeft);
        continue;
      }
      promoteOne(c);
    }
  }

  private void promoteOne(PromoCand c) {
    Segment seg = c.seg;
    int src = c.src;
    if (recentlyMoved(seg)) {
      residencySkip(seg, src, Direction.PROMOTE);
      return;
    }
    long bytes = seg.bytes[src];
    Cut cut = fit(seg, bytes, Math.min(promoteTokens, capLeft));
    if (cut == null) {
      budgetSkip(seg, src, Direction.PROMOTE, promoteTokens < capLeft);
      return;
    }
    long b = cut.bytes;
    int chosen = -1;
    int choice = 0;
    int firstFillOk = -1;
    boolean fillBlocked = false;
    for (int i = 0; i < c.targets.length; i++) {
      int t = c.targets[i];
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
    if (chosen < 0 && cfg.exchange() && firstFillOk >= 0 && !exchangeFailed[firstFillOk]) {
      long need = b - (free[firstFillOk] - high[firstFillOk]);
      freeBefore = free[firstFillOk];
      capLeft -= b; // the victims must leave the cycle cap for the promotion they make room for
      exchanged = makeRoom(firstFillOk, need, c);
      capLeft += b;
      if (exchanged >= need) {
        chosen = firstFillOk;
        choice = indexOf(c.targets, firstFillOk);
      } else {
        exchangeFailed[firstFillOk] = true;
      }
    }
    if (chosen < 0) {
      boolean fill = fillBlocked && firstFillOk < 0;
      skip(
          seg,
          src,
          Direction.PROMOTE,
          b,
          fill ? SkipReason.FILL_LIMIT : SkipReason.WATERMARK,
          fill
              ? "every allowed faster node is at its fill limit (" + nodeList(c.targets) + ")"
              : "no allowed faster node has "
                  + Texts.bytes(b)
                  + " free above its high wmark ("
                  + roomList(c.targets)
                  + ")"
                  + (cfg.exchange() ? "; no colder data could make room" : ""));
      return;
    }
    ReasonCode code = overFill[src] ? ReasonCode.HOT_OVER_FILL_LIMIT : ReasonCode.HOT;
    StringBuilder text = new StringBuilder();
    text.append(hotText(seg.region))
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
    apply(seg, src, chosen, cut, Direction.PROMOTE, code, text.toString());
    if (cut.end < seg.end) {
      remainderSkip(seg, src, cut, Direction.PROMOTE);
    }
  }

  /**
   * Demotes the coldest data of node {@code t} (COLD first, then WARM clearly colder than the
   * candidate: heat ≤ candidate heat − gap) until {@code need} bytes are freed. On failure undoes
   * what it planned and returns less than {@code need}.
   */
  private long makeRoom(int t, long need, PromoCand cand) {
    PriorityQueue<Entry> heap = victimHeaps.get(t);
    if (heap == null) {
      heap = new PriorityQueue<>(Math.max(1, entries.get(t).size()), COLDEST);
      for (Entry e : entries.get(t)) {
        if (!e.done && e.seg.rule.skip == null) {
          heap.add(e);
        }
      }
      victimHeaps.set(t, heap);
    }
    double maxWarm = cand.seg.region.heat() - th.gap();
    int mark = planned.size();
    List<Entry> popped = new ArrayList<>();
    long freed = 0;
    String why =
        "making room for hotter data (pid "
            + cand.seg.proc.p.pid()
            + " "
            + new AddressRange(cand.seg.start, cand.seg.end)
            + ", "
            + hotText(cand.seg.region)
            + ")";
    while (freed < need && !heap.isEmpty()) {
      Entry v = heap.peek();
      if (v.done || v.dead) {
        heap.poll();
        continue;
      }
      if (v.seg.region.heatClass() != HeatClass.COLD && v.seg.region.heat() > maxWarm) {
        break; // WARM victims come by rising heat: none further qualifies
      }
      heap.poll();
      popped.add(v);
      long moved = demote(v, ReasonCode.EXCHANGE, why, cand);
      if (moved < 0) {
        break; // demotion budget or cycle cap gone
      }
      freed += moved;
    }
    if (freed < need) {
      for (int i = planned.size() - 1; i >= mark; i--) {
        Planned p = planned.remove(i);
        undo(p);
      }
      freed = 0;
    }
    for (Entry v : popped) {
      if (!v.done && !v.dead) {
        heap.add(v);
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
      PriorityQueue<Entry> heap = new PriorityQueue<>(COLDEST);
      for (Entry e : entries.get(t)) {
        if (!e.done
            && e.seg.region.heatClass() == HeatClass.COLD
            && e.seg.region.idleAge().toNanos() >= ageNanos) {
          heap.add(e);
        }
      }
      boolean budgetGone = false;
      while (!heap.isEmpty()) {
        Entry e = heap.poll();
        if (budgetGone) {
          budgetSkip(e, Direction.DEMOTE);
        } else if (demote(e, ReasonCode.COLD_PROACTIVE, why, null) < 0) {
          budgetGone = true;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One demotion

  /**
   * Demotes one entry to the nearest allowed node of the next lower allowed tier. Returns the bytes
   * planned, 0 when a rule held it back (recorded as a skip unless it is an exchange victim, which
   * is then marked dead), or -1 when the budget or the cycle cap is used up.
   */
  private long demote(Entry e, ReasonCode code, String why, PromoCand forCand) {
    boolean victim = forCand != null;
    Segment seg = e.seg;
    int src = e.src;
    long bytes = seg.bytes[src];
    if (seg.rule.skip != null) {
      return heldBack(e, victim, seg.rule.skip, seg.rule.skipText);
    }
    Resolved res = seg.rule.demotion(src);
    if (res.skip != null) {
      return heldBack(e, victim, res.skip, res.text);
    }
    if (recentlyMoved(seg)) {
      if (victim) {
        e.dead = true;
      } else {
        e.done = true;
        residencySkip(seg, src, Direction.DEMOTE);
      }
      return 0;
    }
    Cut cut = fit(seg, bytes, Math.min(demoteTokens, capLeft));
    if (cut == null) {
      if (!victim) {
        e.done = true;
        budgetSkip(seg, src, Direction.DEMOTE, demoteTokens < capLeft);
      }
      return -1;
    }
    long b = cut.bytes;
    int chosen = -1;
    int choice = 0;
    boolean fillBlocked = false;
    boolean roomBlocked = false;
    for (int i = 0; i < res.targets.length; i++) {
      int t = res.targets[i];
      if (!fillOk(t, b)) {
        fillBlocked = true;
      } else if (!roomOk(t, b)) {
        roomBlocked = true;
      } else {
        chosen = t;
        choice = i;
        break;
      }
    }
    if (chosen < 0) {
      boolean fill = fillBlocked && !roomBlocked;
      return heldBack(
          e,
          victim,
          fill ? SkipReason.FILL_LIMIT : SkipReason.WATERMARK,
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
    ScoredRegion r = seg.region;
    if (victim) {
      text.append("coldest on full node ")
          .append(nodeId[src])
          .append(" (")
          .append(r.heatClass().name().toLowerCase(java.util.Locale.ROOT))
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
    if (victim) {
      text.append(", ").append(why);
    } else if (code == ReasonCode.COLD_PROACTIVE) {
      text.append(", ").append(why);
    }
    apply(seg, src, chosen, cut, Direction.DEMOTE, code, text.toString());
    e.done = true;
    if (cut.end < seg.end && !victim) {
      remainderSkip(seg, src, cut, Direction.DEMOTE);
    }
    return b;
  }

  private long heldBack(Entry e, boolean victim, SkipReason reason, String text) {
    if (victim) {
      e.dead = true;
    } else {
      e.done = true;
      skip(e.seg, e.src, Direction.DEMOTE, e.seg.bytes[e.src], reason, text);
    }
    return 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Shared pieces

  private void apply(
      Segment seg, int src, int to, Cut cut, Direction dir, ReasonCode code, String text) {
    long b = cut.bytes;
    free[src] += b;
    free[to] -= b;
    if (dir == Direction.PROMOTE) {
      promoteTokens -= b;
    } else {
      demoteTokens -= b;
    }
    capLeft -= b;
    planned.add(new Planned(seg, src, to, cut.end, b, dir, code, text));
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
  private static Cut fit(Segment seg, long bytes, long avail) {
    if (bytes <= avail) {
      return new Cut(seg.end, bytes);
    }
    long len = seg.end - seg.start;
    long want = (long) (len * ((double) avail / bytes));
    long end = seg.start + want;
    end -= Math.floorMod(end, seg.rule.unit);
    if (end <= seg.start) {
      return null;
    }
    long b = (long) (bytes * ((double) (end - seg.start) / len));
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

  private boolean recentlyMoved(Segment seg) {
    if (cfg.minResidency().isZero()) {
      return false;
    }
    return state
        .residency()
        .lastMove(seg.proc.key, new AddressRange(seg.start, seg.end))
        .map(en -> en.movedAt().isAfter(residentSince))
        .orElse(false);
  }

  private void residencySkip(Segment seg, int src, Direction dir) {
    var last = state.residency().lastMove(seg.proc.key, new AddressRange(seg.start, seg.end));
    String text =
        last.map(
                en ->
                    "moved ("
                        + en.direction().name().toLowerCase(java.util.Locale.ROOT)
                        + ") "
                        + Texts.duration(Duration.between(en.movedAt(), now))
                        + " ago, less than the minimum residency "
                        + Texts.duration(cfg.minResidency()))
            .orElse("moved recently");
    skip(seg, src, dir, seg.bytes[src], SkipReason.RESIDENCY, text);
  }

  private void budgetSkip(Entry e, Direction dir) {
    e.done = true;
    budgetSkip(e.seg, e.src, dir, demoteTokens < capLeft);
  }

  private void budgetSkip(Segment seg, int src, Direction dir, boolean bucket) {
    long tokens = dir == Direction.PROMOTE ? promoteTokens : demoteTokens;
    long rate = dir == Direction.PROMOTE ? cfg.promoteBytesPerSecond() : cfg.demoteBytesPerSecond();
    skip(
        seg,
        src,
        dir,
        seg.bytes[src],
        bucket ? SkipReason.BUDGET : SkipReason.CYCLE_CAP,
        bucket
            ? dir.name().toLowerCase(java.util.Locale.ROOT)
                + " budget "
                + Texts.bytes(rate)
                + "/s has "
                + Texts.bytes(tokens)
                + " left this cycle"
            : "cycle cap "
                + Texts.bytes(cfg.maxBytesPerCycle().bytes())
                + " has "
                + Texts.bytes(capLeft)
                + " left");
  }

  private void remainderSkip(Segment seg, int src, Cut cut, Direction dir) {
    boolean bucket = (dir == Direction.PROMOTE ? promoteTokens : demoteTokens) < capLeft;
    record(
        new Skip(
            seg.proc.p.pid(),
            seg.proc.p.startTimeTicks(),
            new AddressRange(cut.end, seg.end),
            dir,
            nodeId[src],
            seg.bytes[src] - cut.bytes,
            bucket ? SkipReason.BUDGET : SkipReason.CYCLE_CAP,
            "the rest of a range whose first "
                + Texts.bytes(cut.bytes)
                + " fit "
                + (bucket ? "this cycle's budget" : "the cycle cap")));
  }

  private void skip(
      Segment seg, int src, Direction dir, long bytes, SkipReason reason, String text) {
    record(
        new Skip(
            seg.proc.p.pid(),
            seg.proc.p.startTimeTicks(),
            new AddressRange(seg.start, seg.end),
            dir,
            src < k ? nodeId[src] : -1,
            bytes,
            reason,
            text));
  }

  private void record(Skip s) {
    skipCounts.merge(s.reason(), 1L, Long::sum);
    skipBytes.merge(s.reason(), s.bytes(), Long::sum);
    if (skips.size() < cfg.maxSkipsListed()) {
      skips.add(s);
    } else {
      skipsNotListed++;
    }
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

  private Integer[] byRank() {
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> rank[i]).thenComparingInt(i -> i));
    return order;
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
      Segment seg = p.seg;
      AddressRange range = new AddressRange(seg.start, p.end);
      Optional<ResidencyHistory.Entry> last = state.residency().lastMove(seg.proc.key, range);
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
              seg.proc.p.pid(),
              seg.proc.p.startTimeTicks(),
              List.of(range),
              NodeSet.of(nodeId[p.src]),
              nodeId[p.to],
              p.bytes,
              p.dir,
              seg.rule.vma.pageBytes(),
              seg.rule.thp,
              seg.rule.moveAll,
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

  /** Hottest first; data on a node over its fill limit before everything else (seed 004). */
  private static final Comparator<PromoCand> HOTTEST =
      Comparator.comparing((PromoCand c) -> !c.overFill)
          .thenComparingDouble(c -> -c.seg.region.heat())
          .thenComparingLong(c -> -c.seg.bytes[c.src])
          .thenComparingInt(c -> c.seg.proc.p.pid())
          .thenComparingLong(c -> c.seg.start)
          .thenComparingInt(c -> c.src);

  /**
   * Coldest first: COLD before WARM; COLD by idle age (longest first), WARM by heat (lowest first),
   * so that exchange can stop at the first WARM entry that is too hot.
   */
  private static final Comparator<Entry> COLDEST =
      Comparator.comparing((Entry e) -> e.seg.region.heatClass() != HeatClass.COLD)
          .thenComparingLong(
              e ->
                  e.seg.region.heatClass() == HeatClass.COLD
                      ? -e.seg.region.idleAge().toNanos()
                      : 0)
          .thenComparingDouble(e -> e.seg.region.heat())
          .thenComparingInt(e -> e.seg.proc.p.pid())
          .thenComparingLong(e -> e.seg.start)
          .thenComparingInt(e -> e.src);

  private record Cut(long end, long bytes) {}

  private record Resolved(int[] targets, SkipReason skip, String text) {}

  private record Planned(
      Segment seg,
      int src,
      int to,
      long end,
      long bytes,
      Direction dir,
      ReasonCode code,
      String text) {}

  private record PromoCand(Segment seg, int src, int[] targets, boolean overFill) {}

  /** A non-HOT piece with bytes on node {@code src}: a demotion candidate or exchange victim. */
  private static final class Entry {
    final Segment seg;
    final int src;
    boolean done;
    boolean dead;

    Entry(Segment seg, int src) {
      this.seg = seg;
      this.src = src;
    }
  }

  /** A region ∩ VMA, snapped; bytes per dense node index (slot k: nodes in no tier). */
  private static final class Segment {
    final Proc proc;
    final Rule rule;
    final ScoredRegion region;
    final long start;
    final long end;
    final long[] bytes;

    Segment(Proc proc, Rule rule, ScoredRegion region, long start, long end, long[] bytes) {
      this.proc = proc;
      this.rule = rule;
      this.region = region;
      this.start = start;
      this.end = end;
      this.bytes = bytes;
    }
  }

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
        b = new long[k + 1];
        Vma vma = vmas[v];
        for (var e : vma.pagesPerNode().entrySet()) {
          Integer idx = idxOf.get(e.getKey());
          b[idx == null ? k : idx] += e.getValue() * vma.pageBytes();
        }
        vmaBytes[v] = b;
      }
      return b;
    }
  }

  /**
   * What one VMA of one process allows (design rule 2): a VMA-wide skip, or the nodes it may be
   * promoted into and demoted into (cpuset ∩ policy), resolved per source node on first use.
   */
  private final class Rule {
    final Proc proc;
    final Vma vma;
    final SkipReason skip;
    final String skipText;
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
      String text = null;
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
            text =
                "VMA "
                    + vma.range()
                    + " has policy "
                    + pol
                    + "; interleaved VMAs are left alone (planner.moveInterleaved=false)";
          }
        }
        default -> {
          s = SkipReason.POLICY;
          text = "VMA " + vma.range() + " has an unknown policy (" + pol + "); left alone";
        }
      }
      if (s == null && vma.hugetlb() && cfg.hugetlb() == PlannerConfig.HugetlbMode.SKIP) {
        s = SkipReason.HUGETLB;
        text =
            "hugetlb VMA "
                + vma.range()
                + " ("
                + Texts.bytes(vma.pageBytes())
                + " pages) is left alone (planner.hugetlb=SKIP)";
      }
      if (s == null && vma.shared() && !cfg.moveShared()) {
        s = SkipReason.SHARED;
        text =
            "shared VMA "
                + vma.range()
                + " (mapmax "
                + vma.mapmax()
                + ", perms "
                + vma.perms()
                + ") needs MPOL_MF_MOVE_ALL (planner.moveShared=false)";
      }
      this.skip = s;
      this.skipText = text;
      this.promoteAllowed = up;
      this.demoteAllowed = down;
      long thpBytes = cfg.thpAlign().bytes();
      this.thp = !vma.hugetlb() && thpBytes > 0;
      this.unit = vma.hugetlb() ? vma.pageBytes() : thp ? thpBytes : vma.pageBytes();
      this.moveAll = vma.shared() && cfg.moveShared();
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
