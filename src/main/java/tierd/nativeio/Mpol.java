package tierd.nativeio;

import tierd.model.MemPolicy;

/**
 * Constants of {@code include/uapi/linux/mempolicy.h}, in their C spelling, and the mapping of
 * policy modes to {@link MemPolicy.Mode}.
 */
public final class Mpol {

  private Mpol() {}

  // enum { MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, MPOL_LOCAL,
  //        MPOL_PREFERRED_MANY (5.15), MPOL_WEIGHTED_INTERLEAVE (6.9), MPOL_MAX }
  public static final int MPOL_DEFAULT = 0;
  public static final int MPOL_PREFERRED = 1;
  public static final int MPOL_BIND = 2;
  public static final int MPOL_INTERLEAVE = 3;
  public static final int MPOL_LOCAL = 4;
  public static final int MPOL_PREFERRED_MANY = 5;
  public static final int MPOL_WEIGHTED_INTERLEAVE = 6;

  /** Mode flags, OR-ed into the mode of mbind/set_mempolicy. */
  public static final int MPOL_F_STATIC_NODES = 1 << 15;

  public static final int MPOL_F_RELATIVE_NODES = 1 << 14;
  public static final int MPOL_F_NUMA_BALANCING = 1 << 13;

  /** get_mempolicy flags. */
  public static final int MPOL_F_NODE = 1;

  public static final int MPOL_F_ADDR = 1 << 1;
  public static final int MPOL_F_MEMS_ALLOWED = 1 << 2;

  /** mbind / move_pages flags. */
  public static final int MPOL_MF_STRICT = 1;

  public static final int MPOL_MF_MOVE = 1 << 1;
  public static final int MPOL_MF_MOVE_ALL = 1 << 2;

  /** The C mode number of a policy mode. */
  public static int modeNumber(MemPolicy.Mode mode) {
    return switch (mode) {
      case DEFAULT -> MPOL_DEFAULT;
      case PREFERRED -> MPOL_PREFERRED;
      case BIND -> MPOL_BIND;
      case INTERLEAVE -> MPOL_INTERLEAVE;
      case LOCAL -> MPOL_LOCAL;
      case PREFERRED_MANY -> MPOL_PREFERRED_MANY;
      case WEIGHTED_INTERLEAVE -> MPOL_WEIGHTED_INTERLEAVE;
      case UNKNOWN -> throw new IllegalArgumentException("the unknown policy has no mode number");
    };
  }

  /** The policy mode of a C mode number (flags masked off); UNKNOWN for anything newer. */
  public static MemPolicy.Mode mode(int modeNumber) {
    int m = modeNumber & ~(MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING);
    return switch (m) {
      case MPOL_DEFAULT -> MemPolicy.Mode.DEFAULT;
      case MPOL_PREFERRED -> MemPolicy.Mode.PREFERRED;
      case MPOL_BIND -> MemPolicy.Mode.BIND;
      case MPOL_INTERLEAVE -> MemPolicy.Mode.INTERLEAVE;
      case MPOL_LOCAL -> MemPolicy.Mode.LOCAL;
      case MPOL_PREFERRED_MANY -> MemPolicy.Mode.PREFERRED_MANY;
      case MPOL_WEIGHTED_INTERLEAVE -> MemPolicy.Mode.WEIGHTED_INTERLEAVE;
      default -> MemPolicy.Mode.UNKNOWN;
    };
  }
}
