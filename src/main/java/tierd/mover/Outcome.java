package tierd.mover;

import tierd.nativeio.Errno;

/**
 * What became of one page of a {@link MoveRequest}. Every page named by a request ends in exactly
 * one outcome, so a {@link Tally}'s counts add up to the pages asked for.
 */
public enum Outcome {
  /** Was on a source node, is on the target now (dry-run: would move). */
  MOVED,
  /** Already on the target node. */
  ALREADY_ON_TARGET,
  /** Present, but on a node outside the request's source nodes: left alone on purpose. */
  NOT_ON_SOURCE,
  /** Busy (pinned, under I/O, extra references), also after the one retry. */
  EBUSY,
  /** Mapped by several processes without MPOL_MF_MOVE_ALL, or the target is outside the cpuset. */
  EACCES,
  /** The target node could not allocate. */
  ENOMEM,
  /** Address not mapped, or the zero page. */
  EFAULT,
  /** Mapped but not present (never touched, or swapped out). */
  ENOENT,
  /** No permission to act on the process. */
  EPERM,
  /** The process is gone, or its pid now names another process. */
  ESRCH,
  /** The kernel counted the page as not migrated without a per-page reason, also after a retry. */
  NOT_MIGRATED,
  /** Not attempted: the target node refused earlier in this call (ENOMEM back-pressure, ENODEV). */
  SKIPPED,
  /**
   * Not attempted: the call's time budget ran out. The next cycle plans these pages again, with
   * placement, policy and cpuset read afresh.
   */
  DEFERRED,
  /**
   * Not attempted: the target node had no room above its floor (high watermark plus margin), and
   * nothing else in the call could free more. Moving in anyway would make the kernel reclaim inside
   * the migration.
   */
  NO_ROOM,
  /**
   * Not attempted: the request had already moved the pages the plan counted for it ({@link
   * MoveRequest#plannedPages()}). Its ranges held more on a source node than the plan knew of
   * (pages an earlier cycle left behind, an estimated placement); moving them too would overrun
   * what the plan booked (budget, room, a tenant's ceiling or floor). A later plan counts them
   * again.
   */
  OVER_PLAN,
  /** Any other errno (EIO, EINVAL for a dirty page that cannot migrate, ...). */
  OTHER;

  /**
   * Whether the page failed to move: false for pages that moved, were already in place or were
   * never meant to move, and for pages held back on purpose (no room, time budget spent), which the
   * next cycle plans again, and for pages beyond the plan's count.
   */
  public boolean isFailure() {
    return switch (this) {
      case MOVED, ALREADY_ON_TARGET, NOT_ON_SOURCE, DEFERRED, NO_ROOM, OVER_PLAN -> false;
      default -> true;
    };
  }

  /** Whether the page was held back on purpose, to be planned again by a later cycle. */
  public boolean isDeferral() {
    return this == DEFERRED || this == NO_ROOM || this == OVER_PLAN;
  }

  /** The outcome of a negated errno in a status entry or a call's errno. */
  public static Outcome of(Errno errno) {
    return switch (errno) {
      case EBUSY, EAGAIN -> EBUSY;
      case EACCES -> EACCES;
      case ENOMEM -> ENOMEM;
      case EFAULT -> EFAULT;
      case ENOENT -> ENOENT;
      case EPERM -> EPERM;
      case ESRCH -> ESRCH;
      default -> OTHER;
    };
  }
}
