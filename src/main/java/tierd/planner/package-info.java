/**
 * Planning: scored regions, topology and constraints in; a {@link tierd.planner.MigrationPlan} out,
 * in which every move carries its reason and every held-back candidate its rule. Pure: no I/O, no
 * clock reads, no logging as the only record of a decision.
 *
 * <p>Vocabulary:
 *
 * <ul>
 *   <li><em>segment</em>: a scored region ∩ one VMA — the unit of decision, because policy, sharing
 *       and page size are per VMA. Its ends inside the VMA are snapped to the THP size (or the huge
 *       page size), so neighbouring segments agree on them and no folio is split;
 *   <li><em>placement</em>: bytes per node of a range ({@link tierd.planner.RegionPlacement}),
 *       exact from move_pages or estimated from the VMA's pages per node in proportion;
 *   <li><em>candidate</em>: data that a rule wants to move (HOT below the fastest allowed tier;
 *       COLD on a node under pressure or older than the proactive age); a candidate that is held
 *       back becomes a {@link tierd.planner.Skip} with a {@link tierd.planner.SkipReason};
 *   <li><em>allowed nodes</em>: cpuset.mems.effective ∩ Mems_allowed (from the process) ∩ the nodes
 *       the VMA's policy allows for that direction;
 *   <li><em>room</em>: a target has room for {@code b} bytes when {@code free − b ≥ high watermark}
 *       and {@code used + b ≤ maxFill × total};
 *   <li><em>budget</em>: a token bucket per direction in bytes (rate × elapsed, capped at rate ×
 *       burst) and a per-cycle cap on both directions;
 *   <li><em>residency</em>: when each range last moved and which way; a reversal is a
 *       <em>ping-pong</em>;
 *   <li><em>tenant</em> (only with {@code classes:}): the processes of one class, or of one cgroup
 *       of a class matched by cgroup ({@link tierd.planner.Tenancy}); its <em>fast bytes</em> are
 *       its bytes on tier rank 0, its <em>floor</em> and <em>ceiling</em> bounds on them ({@link
 *       tierd.planner.TenantClass}).
 * </ul>
 *
 * <p>Invariants of every plan (checked by the randomised tests): no move targets a node outside the
 * allowed set; no move stays within a tier; no move touches an interleaved VMA unless configured;
 * promoted bytes ≤ promotion tokens, demoted bytes ≤ demotion tokens, their sum ≤ the cycle cap; no
 * target ends above its fill limit or below its high watermark by the plan's own estimates; a
 * placement that is already ideal yields no move. With classes (checked by {@code
 * TenantPropertiesTest}): no promotion into the fast tier leaves its tenant above its ceiling; a
 * ceiling or proactive demotion stops at the ceiling or floor (within one aligned unit); a room
 * demotion of a tenant at or below its floor says so; without classes the plan is byte for byte
 * what it was before them.
 *
 * <p>Shape: {@link tierd.planner.Planner#plan} builds a {@code PlanningRun}, whose parts are an
 * immutable {@code NodeTable} (nodes by dense index, a no-tier slot after them), a {@code Ledger}
 * (free bytes, tokens, cycle cap; apply and roll back), {@code Segments} filled by {@code
 * SegmentJoin} with {@code PromotionCandidates} and {@code DemotionEntries}, and a {@code SkipLog};
 * its steps, in order, are {@code PressureRelief}, {@code MakeRoom}, {@code Promotion} (sealed
 * {@code Choice}: direct, exchanged, partial, blocked; {@code Exchange} makes room; targets ordered
 * nearest to the node whose CPUs ran the process, when known), {@code CapacityRelief}
 * (demotion-only nodes over their live capacity) and {@code ProactiveDemotion}, each demoting
 * through {@code Demotion} (sealed {@code Outcome}); {@code PlanAssembly} makes the plan. {@code
 * PlacementRule} is the safety core: a pure function from cpuset, VMA and config to allowed targets
 * or the reason none is allowed. {@code ReasonTexts} writes the sentences of reasons. With classes,
 * {@code Tenants} keeps each tenant's fast bytes as the {@code Ledger} books moves, {@code
 * RoomVictims} orders what goes down for room, and {@code CeilingDemotion} runs after {@code
 * PressureRelief}.
 *
 * <p>Units: addresses and sizes in bytes, rates in bytes per second, times as {@link
 * java.time.Instant} and {@link java.time.Duration}, heats as fractions in [0, 1].
 */
package tierd.planner;
