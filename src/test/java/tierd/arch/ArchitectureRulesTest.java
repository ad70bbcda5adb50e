package tierd.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules that tools keep rather than reviewers (STYLE.md habit 14): JNA only in {@code
 * tierd.nativeio}; no {@code System.out}/{@code System.err} outside the CLI; no {@code
 * ProcessBuilder}/{@code Runtime.exec} in the daemon's code; no absolute kernel path outside {@code
 * KernelRoot}.
 */
class ArchitectureRulesTest {

  private static final Path MAIN = Path.of("src/main/java/tierd");

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
    assertThat(
            violations(Pattern.compile("ProcessBuilder|Runtime\\.getRuntime\\(\\)\\.exec"), null))
        .as("subprocesses in src/main")
        .isEmpty();
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
