package tierd.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tierd.model.DataSize;
import tierd.process.ProcessFilter;

/** {@code processes:} which processes tierd manages. */
public record ProcessesConfig(
    Optional<Pattern> comm, Optional<Pattern> exe, List<String> cgroups, DataSize minRss) {

  public static final ProcessesConfig DEFAULTS =
      new ProcessesConfig(Optional.empty(), Optional.empty(), List.of(), DataSize.ofMiB(16));

  static ProcessesConfig from(ConfigNode n) {
    List<String> cgroups = n.strings("cgroups");
    for (String g : cgroups) {
      if (!g.startsWith("/")) {
        throw n.error("cgroups", "'" + g + "' must be an absolute cgroup path glob (start with /)");
      }
    }
    return new ProcessesConfig(
        n.regex("comm"),
        n.regex("exe"),
        cgroups,
        n.size("minRss", DEFAULTS.minRss, DataSize.ZERO, DataSize.ofGiB(1 << 20)));
  }

  public ProcessFilter filter(long selfPid) {
    return new ProcessFilter(comm, exe, cgroups, minRss.bytes(), selfPid);
  }
}
