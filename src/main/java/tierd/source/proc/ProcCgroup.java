package tierd.source.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * {@code /proc/<pid>/cgroup}: {@code hierarchy-ID:controller-list:cgroup-path} per line
 * (cgroups(7)). The cgroup v2 line is {@code 0::/path}; v1 lines name their controllers.
 */
public record ProcCgroup(List<Line> lines) {

  /** One hierarchy membership. */
  public record Line(int hierarchyId, List<String> controllers, String path) {}

  public ProcCgroup {
    lines = List.copyOf(lines);
  }

  /** The cgroup v2 path ({@code 0::/...}), if the process is in a v2 hierarchy. */
  public Optional<String> unifiedPath() {
    return lines.stream().filter(l -> l.hierarchyId == 0).map(Line::path).findFirst();
  }

  /** The path in the v1 hierarchy that carries {@code controller}. */
  public Optional<String> v1Path(String controller) {
    return lines.stream()
        .filter(l -> l.hierarchyId != 0 && l.controllers.contains(controller))
        .map(Line::path)
        .findFirst();
  }

  public static ProcCgroup read(KernelRoot root, int pid) {
    var path = root.pid(pid, "cgroup");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static ProcCgroup parse(String text) {
    List<Line> out = new ArrayList<>();
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int c1 = line.indexOf(':');
      int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
      if (c1 <= 0 || c2 < 0) {
        throw KernelFsException.malformed(i + 1, line, "expected 'id:controllers:path'");
      }
      int id = Parse.unsignedInt(line.substring(0, c1), i + 1, "hierarchy id");
      String ctl = line.substring(c1 + 1, c2);
      String path = line.substring(c2 + 1);
      if (!path.startsWith("/")) {
        throw KernelFsException.malformed(i + 1, path, "cgroup path must be absolute");
      }
      List<String> controllers = ctl.isEmpty() ? List.of() : List.of(ctl.split(","));
      out.add(new Line(id, controllers, path));
    }
    return new ProcCgroup(out);
  }
}
