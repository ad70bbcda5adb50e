package tierd.kernelfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.model.MalformedValueException;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.source.cgroup.CpusetMems;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcCgroup;
import tierd.source.proc.ProcMaps;
import tierd.source.proc.ProcStat;
import tierd.source.proc.ProcStatus;
import tierd.source.proc.Vmstat;
import tierd.source.proc.Zoneinfo;
import tierd.source.sys.MemoryTiers;
import tierd.source.sys.NodeAccess;
import tierd.source.sys.NodeDistance;
import tierd.source.sys.NodeMeminfo;
import tierd.source.sys.TieringKnobs;

/**
 * Feeds every parser seeded, mangled versions of real input (bytes flipped, lines cut, tokens
 * duplicated, digits replaced) and asserts that the only exception that escapes is the documented
 * one ({@link KernelFsException}, or {@link MalformedValueException} for a value of {@code
 * tierd.model}): no NumberFormatException, no IndexOutOfBounds, no NPE.
 */
class MangledInputTest {

  private static final String HOST = "fixtures/host-1node/";

  static Stream<Arguments> parsers() {
    return Stream.of(
        p("numa_maps", Fixtures.text("numa_maps/every-policy.numa_maps"), NumaMaps::parse),
        p("maps", Fixtures.text(HOST + "proc/4242/maps"), ProcMaps::parse),
        p("status", Fixtures.text(HOST + "proc/4242/status"), ProcStatus::parse),
        p("stat", Fixtures.text(HOST + "proc/4242/stat"), ProcStat::parse),
        p("cgroup", Fixtures.text(HOST + "proc/4242/cgroup"), ProcCgroup::parse),
        p("vmstat", Fixtures.text(HOST + "proc/vmstat"), Vmstat::parse),
        p("zoneinfo", Fixtures.text(HOST + "proc/zoneinfo"), Zoneinfo::parse),
        p(
            "node meminfo",
            Fixtures.text(HOST + "sys/devices/system/node/node0/meminfo"),
            NodeMeminfo::parse),
        p("distance", "10 21 28\n", NodeDistance::parse),
        p("nodelist", "0-1,3\n", MemoryTiers::parse),
        p("cpuset.mems", "0-1\n", CpusetMems::parse),
        p("HMAT attribute", "300\n", NodeAccess::parse),
        p("demotion_enabled", "true\n", TieringKnobs::parseBool),
        p("numa_balancing", "2\n", TieringKnobs::parseNumaBalancing),
        // the values of tierd.model throw their own exception; readers make it a KernelFsException
        value("mask", "00000000,00000003", NodeSet::parseMask),
        value("policy", "bind=static|balancing:0-1", MemPolicy::parse));
  }

  private static Arguments p(String name, String text, Function<String, ?> parser) {
    return Arguments.of(name, text, parser, KernelFsException.class);
  }

  private static Arguments value(String name, String text, Function<String, ?> parser) {
    return Arguments.of(name, text, parser, MalformedValueException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parsers")
  void onlyTheDocumentedExceptionEscapes(
      String name,
      String text,
      Function<String, ?> parser,
      Class<? extends RuntimeException> documented) {
    // the real text parses
    parser.apply(text);
    SplittableRandom rnd = new SplittableRandom(name.hashCode());
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      String mangled = mangle(text, rnd);
      try {
        parser.apply(mangled);
      } catch (RuntimeException e) {
        if (documented.isInstance(e)) {
          rejected++;
          String says =
              e instanceof MalformedValueException v ? "'" + v.token() + "': " : "malformed";
          assertThat(e.getMessage()).as("case %d", i).contains(says);
          continue;
        }
        fail(
            name
                + " case "
                + i
                + " threw "
                + e
                + " for input:\n"
                + (mangled.length() > 400 ? mangled.substring(0, 400) + "..." : mangled),
            e);
      }
    }
    // The mangler must actually produce bad input, or this test proves nothing.
    assertThat(rejected).as("rejected inputs of " + name).isGreaterThan(20);
  }

  private static final List<String> NASTY =
      List.of(
          "",
          " ",
          "-",
          "=",
          ":",
          "(",
          ")",
          "\t",
          "\n",
          "99999999999999999999999",
          "N",
          "x",
          ",",
          "kB",
          "0x",
          "\u00e9");

  static String mangle(String text, SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int pos = rnd.nextInt(sb.length());
      switch (rnd.nextInt(6)) {
        case 0 -> sb.setCharAt(pos, (char) (32 + rnd.nextInt(95)));
        case 1 -> sb.setLength(pos); // truncate
        case 2 -> sb.insert(pos, NASTY.get(rnd.nextInt(NASTY.size())));
        case 3 -> sb.deleteCharAt(pos);
        case 4 -> {
          int end = Math.min(sb.length(), pos + 1 + rnd.nextInt(20));
          sb.insert(pos, sb.substring(pos, end));
        }
        default -> {
          if (Character.isDigit(sb.charAt(pos))) {
            sb.setCharAt(pos, "x-:9 ".charAt(rnd.nextInt(5)));
          } else {
            sb.setCharAt(pos, ' ');
          }
        }
      }
    }
    return sb.toString();
  }
}
