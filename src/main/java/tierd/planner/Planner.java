package tierd.planner;

/**
 * Plans migrations: scored regions, topology and constraints in, a {@link MigrationPlan} out, where
 * every move carries its reason and every held-back candidate its rule. Pure: no I/O, no clock
 * (time is {@link PlanInput#now()}), no state of its own — what carries over between cycles
 * (budgets, residency, ping-pong count) goes in and out as {@link PlannerState}.
 *
 * <p>Rules, in the order a cycle applies them:
 *
 * <ol>
 *   <li><b>Pressure.</b> A node with lower tiers whose free memory is under its low watermark
 *       demotes COLD data (longest idle first) until its free memory would reach its floor: the
 *       high watermark plus {@code roomMargin}.
 *   <li><b>Make room first.</b> A faster node that the confirmed hot data waiting for it would push
 *       below its floor demotes its coldest allowed data first, just enough for those promotions
 *       (within the promotion budget) to land above the floor ({@link MakeRoom}).
 *   <li><b>Promotion.</b> HOT data on a slower tier goes to the nearest faster node that the task's
 *       cpuset and the VMA's policy allow and that keeps free memory at or above its floor and use
 *       within its fill limit. Data on a node over its fill limit goes first, then by falling heat.
 *       Hot data of fewer windows than {@code scoring.confirmWindows} moves only into free room.
 *   <li><b>Exchange.</b> When that node is still full, its coldest data (COLD, then WARM whose heat
 *       is at least the hysteresis gap below the candidate's) is demoted to make room for a
 *       confirmed candidate, all or nothing, and only as much as it needs.
 *   <li><b>Proactive demotion</b> (when configured): COLD data idle for the configured age goes
 *       down without pressure.
 * </ol>
 *
 * <p>With {@code classes:} ({@link PlanInput#tenancy}), after pressure relief a tenant over its
 * fast-tier ceiling demotes its coldest data down to it ({@link CeilingDemotion}); data that goes
 * down for room comes from tenants above their floors first, lower priority first, coldest first
 * ({@link RoomVictims}); a promotion that would take a tenant over its ceiling is an exchange
 * within that tenant or none; proactive demotion stops at a tenant's floor. Policy and cpuset still
 * decide first: a floor never moves a page they forbid.
 *
 * <p>Everywhere: a move never stays within a tier (targets come from {@link
 * tierd.topology.Topology#promotionTargets} and {@link tierd.topology.Topology#demotionTargets});
 * demotion goes to the nearest allowed node of the next lower tier that has an allowed node;
 * targets are cpuset.mems.effective ∩ Mems_allowed ∩ the policy's nodes ({@code bind} both ways,
 * {@code prefer (many)} and respected {@code prefer} for promotion only, {@code default}/{@code
 * local} free, interleaved VMAs left alone unless configured); shared VMAs are skipped unless
 * MOVE_ALL is allowed; hugetlb VMAs are skipped unless configured to move in whole huge pages;
 * range ends inside a VMA snap to the THP size so a folio moves as one unit; token buckets per
 * direction and a per-cycle cap bound the bytes (a range too big for what is left moves its aligned
 * prefix); a range that moved less than {@code minResidency} ago is not moved back (the rest of a
 * range that moved in part may follow the same way), and a move that reverses its range's last move
 * is counted as a ping-pong.
 *
 * <p>The next state assumes the whole plan is carried out. A daemon that knows better (the mover
 * moved fewer pages) may record the real moves with {@link ResidencyHistory#withMoves} instead; a
 * failed move still costs its budget, which keeps ENOMEM from turning into a retry storm (design
 * rule 5).
 */
public final class Planner {

  private final PlannerConfig config;

  public Planner(PlannerConfig config) {
    this.config = config;
  }

  /**
   * Plans one cycle: joins regions to VMAs and placements, then relieves pressure, makes room,
   * promotes (with exchange), demotes proactively, and assembles the plan ({@link PlanningRun}).
   * Throws IllegalArgumentException if regions or placements of a pid overlap.
   */
  public PlanResult plan(PlanInput input, PlannerState state) {
    return new PlanningRun(config, input, state).plan();
  }
}
