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
  /** Any other errno (EIO, EINVAL for a dirty page that cannot migrate, ...). */
  OTHER;

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
