package tierd.metrics;

/**
 * Every metric name tierd exports, as Micrometer names (dots) with the Prometheus name they become
 * in the comment. They are an API: dashboards and alerts depend on them, and the golden exposition
 * file in the tests fails the build when one changes. Base units only; counters end in {@code
 * _total}; labels are bounded (node ids, tiers, directions, errno names) — never a pid or address.
 */
public final class MetricNames {

  private MetricNames() {}

  /** tierd_migrated_pages_total{direction,from_node,to_node}: pages moved by move_pages. */
  public static final String MIGRATED_PAGES = "tierd.migrated.pages";

  /** tierd_migrated_bytes_total{direction,from_node,to_node}. */
  public static final String MIGRATED_BYTES = "tierd.migrated.bytes";

  /** tierd_planned_bytes_total{direction,from_node,to_node}: bytes the planner asked to move. */
  public static final String PLANNED_BYTES = "tierd.planned.bytes";

  /** tierd_dry_run_bytes_total{direction,from_node,to_node}: bytes a dry run would have moved. */
  public static final String DRY_RUN_BYTES = "tierd.dry.run.bytes";

  /** tierd_move_failures_total{errno}: pages the kernel refused to move, by errno. */
  public static final String MOVE_FAILURES = "tierd.move.failures";

  /**
   * tierd_move_deferred_pages_total{reason="time_budget"|"no_room"|"over_plan"}: pages a move stage
   * held back on purpose, for a later cycle to plan again ("over_plan": beyond the pages the plan
   * counted for the move).
   */
  public static final String MOVE_DEFERRED = "tierd.move.deferred.pages";

  /** tierd_move_calls_total{kind="move"|"query"}: move_pages system calls. */
  public static final String MOVE_CALLS = "tierd.move.calls";

  /** tierd_move_longest_call_seconds: longest single move_pages call of the last cycle. */
  public static final String MOVE_LONGEST_CALL = "tierd.move.longest.call";

  /** tierd_cycles_total{result="ok"|"failed"}. */
  public static final String CYCLES = "tierd.cycles";

  /** tierd_cycle_duration_seconds (summary). */
  public static final String CYCLE_DURATION = "tierd.cycle.duration";

  /** tierd_stage_duration_seconds{stage} (summary). */
  public static final String STAGE_DURATION = "tierd.stage.duration";

  /** tierd_stage_failures_total{stage}: every stage that threw, also after the cycle had failed. */
  public static final String STAGE_FAILURES = "tierd.stage.failures";

  /**
   * tierd_cycle_failures_total{stage}: failed cycles, by the stage that failed first; {@code
   * stage="loop"} counts failures of the daemon's own work around a cycle (reload, notify).
   */
  public static final String CYCLE_FAILURES = "tierd.cycle.failures";

  /** tierd_last_cycle_timestamp_seconds: wall time of the last completed cycle. */
  public static final String LAST_CYCLE = "tierd.last.cycle.timestamp";

  /** tierd_region_bytes{class="hot"|"warm"|"cold",tier}: scored bytes per heat class and tier. */
  public static final String REGION_BYTES = "tierd.region.bytes";

  /** tierd_node_free_bytes{node}. */
  public static final String NODE_FREE = "tierd.node.free";

  /** tierd_node_total_bytes{node}. */
  public static final String NODE_TOTAL = "tierd.node.total";

  /** tierd_node_tier_rank{node}: 0 for the fastest tier. */
  public static final String NODE_TIER_RANK = "tierd.node.tier.rank";

  /** tierd_threshold_ratio{kind="hot"|"cold"}: access-fraction thresholds in use. */
  public static final String THRESHOLD = "tierd.threshold";

  /** tierd_budget_used_ratio{direction}: share of the cycle's MB/s budget that the plan used. */
  public static final String BUDGET_USED = "tierd.budget.used";

  /** tierd_pingpong_total: moves that reversed a recent move of the same range. */
  public static final String PINGPONG = "tierd.pingpong";

  /** tierd_skipped_candidates_total{reason}: candidates the planner left alone, by reason. */
  public static final String SKIPPED = "tierd.skipped.candidates";

  /** tierd_managed_processes. */
  public static final String MANAGED_PROCESSES = "tierd.managed.processes";

  /** tierd_scan_skipped_processes_total{reason="exited"|"denied"|"malformed"}. */
  public static final String SCAN_SKIPPED = "tierd.scan.skipped.processes";

  /**
   * tierd_scan_numa_maps_total{outcome="read"|"kept"|"rechecked"}: managed processes' numa_maps
   * read by the scan, kept from an earlier read (processes.numaMapsMaxAge), re-read before a move.
   */
  public static final String SCAN_NUMA_MAPS = "tierd.scan.numa.maps";

  /**
   * tierd_scan_rejected_total{file,reason}: processes, VMAs and memory nodes left out of a cycle
   * because a kernel file about them was malformed, disagreed with another or vanished.
   */
  public static final String SCAN_REJECTED = "tierd.scan.rejected";

  /**
   * tierd_demotion_only_capacity_bytes{node}: usable capacity of a demotion-only node as its source
   * gave it this cycle (planner.nodes.N); absent while unknown.
   */
  public static final String DEMOTION_ONLY_CAPACITY = "tierd.demotion.only.capacity";

  /**
   * tierd_demotion_only_foreign_bytes{node}: bytes of the managed processes on a demotion-only node
   * that tierd did not demote there (which processes: {@code tierd scan}).
   */
  public static final String DEMOTION_ONLY_FOREIGN = "tierd.demotion.only.foreign";

  /** tierd_tracking_limit{kind="vmas"|"regions"}: what the heap lets tierd track per cycle. */
  public static final String TRACKING_LIMIT = "tierd.tracking.limit";

  /** tierd_tracking_used{kind="vmas"|"regions"}: what the last cycle tracked of those limits. */
  public static final String TRACKING_USED = "tierd.tracking.used";

  /**
   * tierd_tracking_left_out{kind="processes"|"vmas"|"regions"}: what the tracking limits left out
   * of the last cycle (regions: merged into a neighbour or dropped).
   */
  public static final String TRACKING_LEFT_OUT = "tierd.tracking.left.out";

  /** tierd_source_conflicts{kind}: conflicts with other users of the same kernel mechanisms. */
  public static final String SOURCE_CONFLICTS = "tierd.source.conflicts";

  /** tierd_heat_source_info{source}: 1 for the hotness source in use. */
  public static final String HEAT_SOURCE = "tierd.heat.source.info";

  /**
   * tierd_heat_interval_seconds{kind="check"|"window"}: the heat source's intervals in force
   * (DAMON's sampling and aggregation intervals; a per-window source's window as both), which
   * tuning moves towards heat.accessGoal. Absent while the source has none.
   */
  public static final String HEAT_INTERVAL = "tierd.heat.interval";

  /** tierd_kernel_vmstat_total{counter}: the kernel's tiering counters from /proc/vmstat. */
  public static final String KERNEL_VMSTAT = "tierd.kernel.vmstat";

  /** tierd_dry_run: 1 when tierd records instead of moving. */
  public static final String DRY_RUN = "tierd.dry.run";

  /** tierd_tiers: number of memory tiers (1 means nothing to tier). */
  public static final String TIERS = "tierd.tiers";

  /** tierd_build_info{version,java_version}: always 1. */
  public static final String BUILD_INFO = "tierd.build.info";

  /** tierd_interval_seconds: the configured cycle interval (alerts scale with it). */
  public static final String INTERVAL = "tierd.interval";

  /** tierd_node_fill_limit_ratio{node}: planner.maxFill per node, 1 where none is set. */
  public static final String NODE_FILL_LIMIT = "tierd.node.fill.limit";

  /** tierd_config_reloads_total{result="ok"|"rejected"}. */
  public static final String CONFIG_RELOADS = "tierd.config.reloads";

  /**
   * tierd_idle_age_seconds{percentile="50"|"90"|"99"}: idle age of the managed processes' resident
   * bytes, per byte (see tierd.profile).
   */
  public static final String IDLE_AGE = "tierd.idle.age";

  /**
   * tierd_idle_bytes{min_age_seconds="60"|"600"|"3600"}: resident bytes idle at least that long.
   */
  public static final String IDLE_BYTES = "tierd.idle";

  /**
   * tierd_sizing_fast_tier_bytes{served="0.5"|"0.8"|"0.9"|"0.95"|"0.99"}: the smallest fast tier
   * that would serve that share of the recent accesses (the sizing curve).
   */
  public static final String SIZING_FAST_TIER = "tierd.sizing.fast.tier";

  /** tierd_hot_set_bytes: the hot set, p95 over the last 10 minutes (NaN before any access). */
  public static final String HOT_SET = "tierd.hot.set";

  /**
   * tierd_class_fast_bytes{class}: bytes of a class's processes on the fast tier (tier 0), as the
   * last cycle found them. Classes are {@code classes:} names, a bounded set.
   */
  public static final String CLASS_FAST = "tierd.class.fast";

  /** tierd_class_slow_bytes{class}: bytes of a class's processes on every other node. */
  public static final String CLASS_SLOW = "tierd.class.slow";

  /** tierd_class_floor_bytes{class}: the floors of a class's tenants, summed (fastMin). */
  public static final String CLASS_FLOOR = "tierd.class.floor";

  /** tierd_class_ceiling_bytes{class}: the ceilings of a class's tenants, summed (fastMax). */
  public static final String CLASS_CEILING = "tierd.class.ceiling";

  /**
   * tierd_class_floor_deficit_bytes{class}: bytes the tenants of a class are short of their floors
   * on the fast tier, as the last cycle found them (0 when every floor holds).
   */
  public static final String CLASS_FLOOR_DEFICIT = "tierd.class.floor.deficit";

  /** tierd_class_tenants{class}: tenants of a class (one per cgroup when matched by cgroup). */
  public static final String CLASS_TENANTS = "tierd.class.tenants";

  /** tierd_class_planned_moves_total{class,reason}: moves planned for a class, by reason code. */
  public static final String CLASS_PLANNED_MOVES = "tierd.class.planned.moves";
}
