package tierd.planner;

/** Why a candidate (data that would move were it not for a rule) was not moved. */
public enum SkipReason {
  /** The VMA's mempolicy allows none of the candidate targets, or the policy is unknown. */
  POLICY,
  /** The task's cpuset.mems.effective (∩ Mems_allowed) allows none of the candidate targets. */
  CPUSET,
  /** The VMA is interleaved (interleave or weighted interleave): left alone by default. */
  INTERLEAVE,
  /** Pages mapped by more than one process need MPOL_MF_MOVE_ALL, which config did not allow. */
  SHARED,
  /** A hugetlb VMA: left alone by default. */
  HUGETLB,
  /** The range moved less than the minimum residency ago. */
  RESIDENCY,
  /**
   * No allowed target has room above its high watermark plus margin (and no exchange could make
   * room).
   */
  WATERMARK,
  /**
   * Hot in fewer consecutive windows than {@code scoring.confirmWindows}, and no allowed target has
   * free room for it: nothing is demoted for unconfirmed hot data.
   */
  UNCONFIRMED,
  /** Every allowed target is at its fill limit (maxFill). */
  FILL_LIMIT,
  /** The direction's token bucket (MB/s budget) is empty. */
  BUDGET,
  /** The per-cycle byte cap is used up. */
  CYCLE_CAP,
  /** The data sits on a node that is in no tier, so no target can be chosen. */
  NO_TARGET,
  /**
   * The region is smaller than one folio (THP or huge page) once aligned, so it cannot move alone.
   */
  ALIGNMENT,
  /**
   * Its tenant is at its fast-tier ceiling: it moves up only in exchange for the tenant's own
   * colder data, and none could make room.
   */
  TENANT_CEILING,
  /** Its tenant is at or below its fast-tier floor: it is not demoted without a need for room. */
  TENANT_FLOOR
}
