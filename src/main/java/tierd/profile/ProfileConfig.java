package tierd.profile;

/**
 * The {@code profile} section of tierd.yaml.
 *
 * @param cpuBudget on a host with one memory tier (nothing to tier: tierd only profiles), the heat
 *     source is read at most as often as keeps its CPU time under this share of one core, in (0,
 *     1]; {@code tierd profile} reads it every interval (1)
 */
public record ProfileConfig(double cpuBudget) {

  public static final ProfileConfig DEFAULT = new ProfileConfig(0.005);

  /** No budget: the heat source is read every cycle. */
  public static final ProfileConfig EVERY_CYCLE = new ProfileConfig(1);

  public ProfileConfig {
    if (!(cpuBudget > 0 && cpuBudget <= 1)) {
      throw new IllegalArgumentException("profile.cpuBudget " + cpuBudget + " is outside (0, 1]");
    }
  }
}
