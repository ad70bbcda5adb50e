package tierd.config;

import java.util.List;
import java.util.function.Consumer;

/**
 * The config sections that belong to individual stages (heat, scoring, planner, mover). Each entry
 * reads its section from the root node, so that a bad value anywhere fails {@link
 * TierdConfig#parse} and unknown keys are caught by {@link ConfigNode#finish()}.
 */
final class SectionValidators {

  private SectionValidators() {}

  static List<Consumer<ConfigNode>> all() {
    return List.of();
  }
}
