package tierd.daemon;

import tierd.heat.HeatSource;

/** Opens the hotness source; may throw when none is available (the cycle then has no heat). */
@FunctionalInterface
public interface HeatSourceFactory {
  HeatSource open();
}
