package tierd.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tierd.model.DataSize;
import tierd.planner.FastShare;
import tierd.planner.TenantClass;
import tierd.process.ProcessFilter;

/**
 * {@code classes:} the fast-tier shares of tenants, an ordered list whose first match wins. Each
 * entry has a {@code name}, the matchers of {@code processes:} ({@code comm}, {@code exe}, {@code
 * cgroups}), and optionally {@code fastMin} (floor), {@code fastMax} (ceiling) — bytes with a unit
 * or a percentage of the tenant's resident memory — and {@code priority}. A class named {@code
 * default} takes every process no other class matches, so it has no matchers.
 */
final class ClassesConfig {

  /** Names are metric labels: letters, digits, '_', '.', '-'. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  static final int PRIORITY_BOUND = 1000;

  private ClassesConfig() {}

  static List<TenantClass> from(ConfigNode root) {
    List<TenantClass> classes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode n : root.sections("classes")) {
      String name =
          n.optionalString("name")
              .orElseThrow(() -> n.error("name", "a class needs a name (e.g. name: web)"));
      if (!NAME.matcher(name).matches()) {
        throw n.error(
            "name",
            "'" + name + "' must be 1-64 letters, digits, '_', '.' or '-' (a metric label)");
      }
      if (!names.add(name)) {
        throw n.error("name", "'" + name + "' names an earlier class too (names are unique)");
      }
      ProcessFilter matchers = ProcessesConfig.matchers(n);
      boolean matchesSome =
          matchers.comm().isPresent()
              || matchers.exe().isPresent()
              || !matchers.cgroupGlobs().isEmpty();
      if (name.equals(TenantClass.DEFAULT_NAME) && matchesSome) {
        throw n.error(
            "name",
            "the class 'default' takes every process no other class matches; it has no comm, exe"
                + " or cgroups");
      }
      Optional<FastShare> fastMin = share(n, "fastMin");
      Optional<FastShare> fastMax = share(n, "fastMax");
      if (fastMin.isPresent()
          && fastMax.isPresent()
          && fastMin.get().relative() == fastMax.get().relative()
          && fastMin.get().bytesOf(1L << 40) > fastMax.get().bytesOf(1L << 40)) {
        throw n.error(
            "fastMin",
            fastMin.get() + " is above fastMax " + fastMax.get() + " (a floor <= its ceiling)");
      }
      int priority = (int) n.integer("priority", 0, -PRIORITY_BOUND, PRIORITY_BOUND);
      classes.add(new TenantClass(name, matchers, fastMin, fastMax, priority));
    }
    return List.copyOf(classes);
  }

  /** A floor or ceiling: {@code 60%} of resident memory, or bytes with a unit ({@code 2GiB}). */
  private static Optional<FastShare> share(ConfigNode n, String key) {
    Optional<String> text = n.optionalString(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.get().strip().endsWith("%")) {
      return Optional.of(FastShare.ofResident(n.percent(key, 0, 0, 1)));
    }
    return Optional.of(
        FastShare.ofBytes(
            n.size(key, DataSize.ZERO, DataSize.ZERO, DataSize.ofGiB(1 << 20)).bytes()));
  }
}
