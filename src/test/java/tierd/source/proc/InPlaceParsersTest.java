package tierd.source.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.kernelfs.KernelFsException;
import tierd.model.MalformedValueException;
import tierd.model.MemPolicy;

/**
 * The maps, numa_maps, stat and status parsers read their tokens in place since the scan-cost work
 * of issue 8. They must say exactly what the token-splitting versions said ({@link LegacyParsers}):
 * the same values for every real file we have (fixtures from the VMs and the host, and the live
 * /proc of this machine), and for thousands of seeded mutations of them the same values or the same
 * error, message included.
 */
class InPlaceParsersTest {

  private static final String[] FIXTURES = {"vm-2node", "vm-3node", "vm-2node-flat", "host-1node"};

  /** kind, legacy parser, current parser, and the real texts of that kind. */
  static Stream<Arguments> kinds() throws IOException {
    return Stream.of(
        kind("maps", LegacyParsers::procMaps, ProcMaps::parse, "maps", "heat/host-smaps/maps"),
        kind(
            "numa_maps",
            LegacyParsers::numaMaps,
            NumaMaps::parse,
            "numa_maps",
            "heat/host-smaps/numa_maps",
            "numa_maps/every-policy.numa_maps"),
        kind("stat", LegacyParsers::procStat, ProcStat::parse, "stat"),
        kind("status", LegacyParsers::procStatus, ProcStatus::parse, "status"),
        kind(
            "policy prefix",
            t -> LegacyParsers.parsePrefix(t, 1),
            InPlaceParsersTest::policyPrefixAsNumaMapsReadsIt,
            null,
            "numa_maps/every-policy.numa_maps"));
  }

  /** The policy at the start of {@code text}, failing as NumaMaps does: a KernelFsException. */
  private static Object policyPrefixAsNumaMapsReadsIt(String text) {
    try {
      return MemPolicy.parsePrefix(text, 1);
    } catch (MalformedValueException e) {
      throw KernelFsException.malformed(e.line(), e.token(), e.detail());
    }
  }

  private static Arguments kind(
      String name,
      Function<String, Object> legacy,
      Function<String, Object> current,
      String procFile,
      String... resources)
      throws IOException {
    List<String> texts = new ArrayList<>();
    for (String r : resources) {
      texts.add(Fixtures.text(r));
    }
    if (procFile != null) {
      for (String f : FIXTURES) {
        texts.add(Fixtures.text("fixtures/" + f + "/proc/4242/" + procFile));
      }
      for (String pid : new String[] {"self", "1"}) {
        Path p = Path.of("/proc", pid, procFile);
        if (Files.isReadable(p)) {
          try {
            texts.add(Files.readString(p));
          } catch (IOException e) {
            // not readable as this user: the fixtures still cover the kind
          }
        }
      }
    }
    if (name.equals("policy prefix")) {
      // each numa_maps line without its address: the policy and the rest of the line
      List<String> prefixes = new ArrayList<>();
      for (String t : texts) {
        for (String line : t.split("\n")) {
          int sp = line.indexOf(' ');
          if (sp > 0) {
            prefixes.add(line.substring(sp + 1));
          }
        }
      }
      texts = prefixes;
    }
    return Arguments.of(name, legacy, current, texts);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void realFilesParseAsBefore(
      String kind,
      Function<String, Object> legacy,
      Function<String, Object> current,
      List<String> texts) {
    assertThat(texts).isNotEmpty();
    for (String t : texts) {
      same(kind, t, legacy, current);
    }
  }

  private static final String ALPHABET = " \t\n=:-_()0123456789abcdefxyzN\\.A/|,\u00fc\u0663kB";

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void mutatedFilesParseOrFailAsBefore(
      String kind,
      Function<String, Object> legacy,
      Function<String, Object> current,
      List<String> texts) {
    SplittableRandom rnd = new SplittableRandom(kind.hashCode());
    for (int i = 0; i < 3000; i++) {
      String t = texts.get(rnd.nextInt(texts.size()));
      if (t.length() > 4000) {
        // one random stretch of lines keeps the mutation likely to land in what is parsed
        int from = t.indexOf('\n', rnd.nextInt(t.length() - 2000)) + 1;
        t = t.substring(from, Math.min(t.length(), from + 2000));
      }
      StringBuilder sb = new StringBuilder(t);
      for (int m = 1 + rnd.nextInt(3); m > 0 && sb.length() > 0; m--) {
        int at = rnd.nextInt(sb.length());
        switch (rnd.nextInt(4)) {
          case 0 -> sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
          case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + rnd.nextInt(5)));
          case 2 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
          default -> {
            int end = at;
            while (end < sb.length() && sb.charAt(end) != ' ' && sb.charAt(end) != '\n') {
              end++;
            }
            sb.insert(end, " " + sb.substring(at, end));
          }
        }
      }
      same(kind, sb.toString(), legacy, current);
    }
  }

  /**
   * Impossible values the parsers reject since the legacy copies were frozen (issue 14): a page
   * size that is none, more pages than an address space holds, a policy without its nodelist (whose
   * message now names the policy). An input the current parser rejects for one of these is not
   * compared.
   */
  private static final List<String> STRICTER_SINCE =
      List.of(
          "not a page size",
          "more present pages",
          "without its nodelist",
          "no nodelist",
          "empty policy nodelist");

  private static void same(
      String kind, String text, Function<String, Object> legacy, Function<String, Object> current) {
    Object now = outcome(current, text);
    if (now instanceof String rejection && STRICTER_SINCE.stream().anyMatch(rejection::contains)) {
      return;
    }
    assertThat(now).as("%s of:%n%s", kind, text).isEqualTo(outcome(legacy, text));
  }

  private static Object outcome(Function<String, Object> parser, String text) {
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }
}
