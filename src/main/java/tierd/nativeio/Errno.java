package tierd.nativeio;

/**
 * The errno values the NUMA syscalls return, by their C names, with Linux's numbers ({@code
 * include/uapi/asm-generic/errno-base.h} and {@code errno.h}; x86_64, arm64 and riscv64 share
 * them). Any other number maps to {@link #OTHER}; callers that need it keep the raw number beside
 * the enum ({@link SyscallResult#errnoNumber()}).
 *
 * <p>What they mean for {@code move_pages(2)} (man2/move_pages.2; mm/migrate.c):
 *
 * <ul>
 *   <li>as the call's errno: {@link #ESRCH} no such process, {@link #EPERM} no ptrace access (or
 *       {@code MPOL_MF_MOVE_ALL} without CAP_SYS_NICE, or a seccomp filter), {@link #EACCES} a
 *       target node outside the task's cpuset, {@link #ENODEV} a target node that is offline or has
 *       no memory, {@link #EINVAL} bad flags or a kernel thread, {@link #ENOMEM} the target node
 *       could not allocate, {@link #EFAULT} a bad array pointer;
 *   <li>as a page's status (negated): {@link #ENOENT} page not present, {@link #EFAULT} address not
 *       mapped or the zero page, {@link #EACCES} page mapped by several processes (needs {@code
 *       MPOL_MF_MOVE_ALL}), {@link #EBUSY} page busy (retry later), {@link #ENOMEM} no room on the
 *       target, {@link #EIO}/{@link #EINVAL} a dirty file page that cannot be migrated.
 * </ul>
 */
public enum Errno {
  EPERM(1),
  ENOENT(2),
  ESRCH(3),
  EINTR(4),
  EIO(5),
  E2BIG(7),
  EAGAIN(11),
  ENOMEM(12),
  EACCES(13),
  EFAULT(14),
  EBUSY(16),
  EEXIST(17),
  ENODEV(19),
  EINVAL(22),
  ENOSYS(38),
  /** Any number not listed above; the number itself travels separately. */
  OTHER(-1);

  private static final Errno[] BY_NUMBER = new Errno[64];

  static {
    for (Errno e : values()) {
      if (e.number > 0) {
        BY_NUMBER[e.number] = e;
      }
    }
  }

  private final int number;

  Errno(int number) {
    this.number = number;
  }

  /** The C value, or -1 for {@link #OTHER}. */
  public int number() {
    return number;
  }

  /** The enum for a positive errno number; {@link #OTHER} for anything unlisted. */
  public static Errno of(int number) {
    if (number > 0 && number < BY_NUMBER.length && BY_NUMBER[number] != null) {
      return BY_NUMBER[number];
    }
    return OTHER;
  }

  /**
   * The enum for a {@code move_pages} status entry that is a negated errno ({@code -EBUSY}).
   *
   * @throws IllegalArgumentException if the status is a node id (non-negative)
   */
  public static Errno ofStatus(int status) {
    if (status >= 0) {
      throw new IllegalArgumentException("status " + status + " is a node id, not -errno");
    }
    return of(-status);
  }

  /** {@code EBUSY(16)}, or {@code errno 95} for a number this enum does not list. */
  public static String describe(int number) {
    Errno e = of(number);
    return e == OTHER ? "errno " + number : e.name() + "(" + number + ")";
  }
}
