package tierd.topology;

/** Where the tier assignment came from. */
public enum TierSource {
  /** The kernel's memory_tiering sysfs had at least two tiers. */
  KERNEL,
  /** The kernel had one tier (or none); tierd classified CPU-less nodes by HMAT and SLIT. */
  CLASSIFIED,
  /** The config file assigned tiers explicitly. */
  CONFIG,
  /** Every node is alike: nothing to tier. */
  SINGLE,
  /** What-if tiers simulated on a one-tier host ({@code whatIf.fast}); nothing moves. */
  SIMULATED
}
