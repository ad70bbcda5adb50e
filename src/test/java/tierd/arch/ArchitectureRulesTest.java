package tierd.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules that tools keep rather than reviewers (STYLE.md habit 14): the package graph is the
 * table {@link #ALLOWED} and acyclic; JNA only in {@code tierd.nativeio}; no {@code
 * System.out}/{@code System.err} outside the CLI; no {@code ProcessBuilder}/{@code Runtime.exec} in
 * the daemon's code; no absolute kernel path outside {@code KernelRoot}.
 */
class ArchitectureRulesTest {

  private static final Path MAIN = Path.of("src/main/java/tierd");

  /**
   * The imports allowed between tierd's packages (names without {@code tierd.}), in the order of
   * the data flow: a package may use those listed on its row, nothing else. An import of a class
   * (or a fully qualified name in code) across packages is an edge; javadoc links are not.
   */
  static final Map<String, Set<String>> ALLOWED = table();

  private static Map<String, Set<String>> table() {
    Map<String, Set<String>> t = new LinkedHashMap<>();
    t.put("kernelfs", Set.of());
    t.put("model", Set.of());
    t.put("source.proc", Set.of("kernelfs", "model"));
    t.put("source.sys", Set.of("kernelfs", "model"));
    t.put("source.cgroup", Set.of("kernelfs", "model", "source.proc", "source.sys"));
    t.put("nativeio", Set.of("model"));
    t.put("topology", Set.of("kernelfs", "model", "source.proc", "source.sys"));
    t.put("process", Set.of("kernelfs", "model", "source.cgroup", "source.proc"));
    t.put("heat", Set.of("model", "process"));
    t.put("heat.damon", Set.of("heat", "kernelfs", "model", "process", "source.proc"));
    // nativeio: the soft-dirty probe writes a page of its own (ProbePage) to see the bit work.
    t.put(
        "heat.accessed", Set.of("heat", "kernelfs", "model", "nativeio", "process", "source.proc"));
    t.put(
        "heat.select",
        Set.of("heat", "heat.accessed", "heat.damon", "kernelfs", "model", "source.sys"));
    t.put("scoring", Set.of("heat", "model", "process", "topology"));
    t.put("profile", Set.of("model", "process", "scoring"));
    t.put("planner", Set.of("model", "process", "scoring", "topology"));
    t.put("whatif", Set.of("model", "process", "topology"));
    t.put("mover", Set.of("kernelfs", "model", "nativeio", "source.proc", "source.sys"));
    t.put("metrics", Set.of("mover", "planner", "profile", "source.proc", "topology"));
    t.put(
        "config",
        Set.of(
            "heat",
            "heat.damon",
            "heat.select",
            "kernelfs",
            "model",
            "mover",
            "planner",
            "process",
            "profile",
            "scoring",
            "whatif"));
    t.put(
        "daemon",
        Set.of(
            "config",
            "heat",
            "heat.select",
            "kernelfs",
            "metrics",
            "model",
            "mover",
            "planner",
            "process",
            "profile",
            "scoring",
            "source.proc",
            "source.sys",
            "topology",
            "whatif"));
    // nativeio, source.proc: tierd exec sets the memory policy and execs in place (cli/Exec*).
    t.put(
        "cli",
        Set.of(
            "config",
            "daemon",
            "kernelfs",
            "metrics",
            "model",
            "nativeio",
            "planner",
            "process",
            "profile",
            "source.proc",
            "source.sys",
            "topology",
            "whatif"));
    return t;
  }

  @Test
  void packagesImportOnlyWhatTheTableAllows() throws IOException {
    Map<String, String> sources = mainSources();
    assertThat(PackageGraph.violations(PackageGraph.edges(sources), ALLOWED))
        .as("imports between packages that ALLOWED does not list")
        .isEmpty();
  }

  /** Each main source's text by its path under {@code MAIN}. */
  private static Map<String, String> mainSources() throws IOException {
    Map<String, String> sources = new TreeMap<>();
    for (Path f : javaFiles()) {
      sources.put(MAIN.relativize(f).toString(), Files.readString(f));
    }
    return sources;
  }

  /** The table says what the code does: an allowed edge no source uses is stale. */
  @Test
  void everyEdgeOfTheTableIsUsed() throws IOException {
    Map<String, String> sources = mainSources();
    Set<PackageGraph.Edge> used = PackageGraph.edges(sources).keySet();
    List<String> unused = new ArrayList<>();
    ALLOWED.forEach(
        (from, targets) ->
            new TreeSet<>(targets)
                .forEach(
                    to -> {
                      if (!used.contains(new PackageGraph.Edge(from, to))) {
                        unused.add(from + " -> " + to);
                      }
                    }));
    assertThat(unused).as("edges in ALLOWED that no source uses").isEmpty();
  }

  @Test
  void theTableIsAcyclicAndNamesOnlyPackagesThatExist() throws IOException {
    assertThat(PackageGraph.cycle(ALLOWED)).as("a cycle in ALLOWED").isEmpty();
    Set<String> packages = new TreeSet<>();
    for (Path f : javaFiles()) {
      packages.add(PackageGraph.packageOf(Files.readString(f)));
    }
    assertThat(ALLOWED.keySet()).containsExactlyInAnyOrderElementsOf(packages);
    ALLOWED.values().forEach(targets -> assertThat(packages).containsAll(targets));
  }

  /** The rule on a made-up source set: it must see a wrong import, and only that. */
  @Test
  void theRuleReportsADeliberatelyWrongImport() {
    Map<String, String> sources = new TreeMap<>();
    sources.put(
        "model/NodeSet.java",
        "package tierd.model;\n\nimport tierd.planner.Move;\n\npublic record NodeSet() {}\n");
    sources.put(
        "planner/Planner.java",
        "package tierd.planner;\n\n/** Uses {@link tierd.daemon.TieringCycle} in words only. */\n"
            + "import tierd.model.NodeSet;\nimport static tierd.scoring.HeatClass.HOT;\n"
            + "class Planner { Object cycle = new tierd.daemon.TieringCycle(); }\n");
    assertThat(PackageGraph.violations(PackageGraph.edges(sources), ALLOWED))
        .containsExactly(
            "model -> planner (model/NodeSet.java)", "planner -> daemon (planner/Planner.java)");
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> table = new LinkedHashMap<>(ALLOWED);
    table.put("model", Set.of("planner"));
    assertThat(PackageGraph.cycle(table)).isNotEmpty().contains("model", "planner");
  }

  /** Package edges of tierd's sources, read from their text. */
  static final class PackageGraph {

    private static final Pattern PACKAGE =
        Pattern.compile("^package\\s+tierd\\.([a-z.]+);", Pattern.MULTILINE);

    /** A reference to a class of another tierd package: an import or a qualified name. */
    private static final Pattern REFERENCE =
        Pattern.compile("\\btierd\\.((?:[a-z][a-z0-9]*\\.)*?[a-z][a-z0-9]*)\\.[A-Z]");

    record Edge(String from, String to) {}

    private PackageGraph() {}

    static String packageOf(String source) {
      Matcher m = PACKAGE.matcher(source);
      if (!m.find()) {
        throw new IllegalArgumentException("no tierd package declaration");
      }
      return m.group(1);
    }

    /** Each edge between two packages, with the first file (relative path) that makes it. */
    static Map<Edge, String> edges(Map<String, String> sourcesByFile) {
      Map<Edge, String> out =
          new TreeMap<>(java.util.Comparator.comparing(Edge::from).thenComparing(Edge::to));
      sourcesByFile.forEach(
          (file, source) -> {
            String from = packageOf(source);
            String code = stripComments(source).replaceAll("(?m)^package .*$", "");
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
              String to = m.group(1);
              if (!to.equals(from)) {
                out.putIfAbsent(new Edge(from, to), file);
              }
            }
          });
      return out;
    }

    /** "from -> to (file)" for each edge that the table does not allow. */
    static List<String> violations(Map<Edge, String> edges, Map<String, Set<String>> allowed) {
      List<String> out = new ArrayList<>();
      edges.forEach(
          (e, file) -> {
            if (!allowed.getOrDefault(e.from(), Set.of()).contains(e.to())) {
              out.add(e.from() + " -> " + e.to() + " (" + file + ")");
            }
          });
      return out;
    }

    /** The packages of one cycle in {@code table}, or empty when it has none. */
    static List<String> cycle(Map<String, Set<String>> table) {
      Map<String, Integer> state = new TreeMap<>(); // 1: on the path, 2: done
      List<String> path = new ArrayList<>();
      for (String start : table.keySet()) {
        List<String> found = visit(start, table, state, path);
        if (!found.isEmpty()) {
          return found;
        }
      }
      return List.of();
    }

    private static List<String> visit(
        String pkg, Map<String, Set<String>> table, Map<String, Integer> state, List<String> path) {
      Integer s = state.get(pkg);
      if (s != null) {
        return s == 1 ? List.copyOf(path.subList(path.indexOf(pkg), path.size())) : List.of();
      }
      state.put(pkg, 1);
      path.add(pkg);
      for (String next : new TreeSet<>(table.getOrDefault(pkg, Set.of()))) {
        List<String> found = visit(next, table, state, path);
        if (!found.isEmpty()) {
          return found;
        }
      }
      path.remove(path.size() - 1);
      state.put(pkg, 2);
      return List.of();
    }
  }

  @Test
  void onlyNativeioImportsJna() throws IOException {
    assertThat(
            violations(
                Pattern.compile("^import\\s+(static\\s+)?com\\.sun\\.jna", Pattern.MULTILINE),
                "nativeio"))
        .as("files outside tierd.nativeio that import com.sun.jna")
        .isEmpty();
  }

  @Test
  void noConsoleOutputOutsideCli() throws IOException {
    assertThat(violations(Pattern.compile("System\\.(out|err)"), "cli"))
        .as("System.out/err outside tierd.cli (use SLF4J)")
        .isEmpty();
  }

  @Test
  void noSubprocessesInMainCode() throws IOException {
    // One exception, by design: a demotion-only node's capacityCommand (issue 19: "a sysfs or
    // debugfs file, or a command that prints usable bytes") is the user's own program, run with a
    // timeout. tierd reads the kernel through files and never shells out for it.
    Path capacityCommand = MAIN.resolve("daemon/CapacityCommand.java");
    assertThat(capacityCommand).exists();
    assertThat(
            violations(Pattern.compile("ProcessBuilder|Runtime\\.getRuntime\\(\\)\\.exec"), null))
        .as("subprocesses in src/main")
        .containsExactly(capacityCommand.toString());
  }

  @Test
  void noAbsoluteKernelPathsOutsideKernelRoot() throws IOException {
    Pattern abs = Pattern.compile("\"/(proc|sys)(/[^\"]*)?\"");
    List<String> found = new ArrayList<>();
    for (Path f : javaFiles()) {
      if (f.endsWith("KernelRoot.java")) {
        continue;
      }
      String text = Files.readString(f);
      if (abs.matcher(text).find()) {
        found.add(f.toString());
      }
    }
    assertThat(found).as("absolute /proc or /sys paths outside KernelRoot").isEmpty();
  }

  @Test
  void theRulesSeeTheCode() throws IOException {
    // Guards against the checks above passing because they looked at nothing.
    assertThat(javaFiles()).hasSizeGreaterThan(20);
  }

  private static List<String> violations(Pattern p, String allowedPackage) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : javaFiles()) {
      if (allowedPackage != null && f.startsWith(MAIN.resolve(allowedPackage))) {
        continue;
      }
      String text = stripComments(Files.readString(f));
      if (p.matcher(text).find()) {
        out.add(f.toString());
      }
    }
    return out;
  }

  private static String stripComments(String s) {
    return s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> s = Files.walk(MAIN)) {
      return s.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }
}
