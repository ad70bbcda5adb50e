package tierd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.config.TierdConfig;
import tierd.nativeio.Capabilities;

/**
 * The essentials of {@code systemd/tierd.service} that the daemon relies on, and that the install
 * layout is the same in the unit, the launcher, the installer and the Dockerfile. {@code
 * .ci/checks/systemd.sh} runs {@code systemd-analyze verify} on the same file; this test pins what
 * verify cannot know (that tierd speaks sd_notify, reloads on SIGHUP, needs these capabilities).
 */
class SystemdUnitTest {

  static final Path UNIT = Path.of("systemd/tierd.service");

  /** section → key → values in file order (systemd keys may repeat). */
  static Map<String, Map<String, List<String>>> unit;

  @BeforeAll
  static void parse() throws IOException {
    unit = parseUnit(Files.readString(UNIT));
  }

  /** A minimal systemd.syntax(7) reader: sections, key=value, comments, no line continuations. */
  static Map<String, Map<String, List<String>>> parseUnit(String text) {
    Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
    String section = null;
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      assertThat(line)
          .as("line %d ends with a continuation, which this reader does not handle", lineNo)
          .doesNotEndWith("\\");
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1);
        out.putIfAbsent(section, new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      assertThat(eq).as("line %d is not key=value: %s", lineNo, line).isPositive();
      assertThat(section).as("line %d is outside a section", lineNo).isNotNull();
      out.get(section)
          .computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(line.substring(eq + 1).strip());
    }
    return out;
  }

  static String one(String section, String key) {
    List<String> v = unit.getOrDefault(section, Map.of()).get(key);
    assertThat(v).as("[%s] %s= in %s", section, key, UNIT).isNotNull().hasSize(1);
    return v.get(0);
  }

  static List<String> all(String section, String key) {
    return unit.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
  }

  static Stream<Arguments> serviceSettings() {
    return Stream.of(
        Arguments.of("sd_notify readiness (READY=1 after /metrics is up)", "Type", "notify"),
        Arguments.of("bin/tierd execs java: the JVM is the main pid", "NotifyAccess", "main"),
        Arguments.of(
            "starts the daemon with the installed config",
            "ExecStart",
            "/usr/bin/tierd run --config /etc/tierd/tierd.yaml"),
        Arguments.of("SIGHUP reloads the config", "ExecReload", "/bin/kill -HUP $MAINPID"),
        Arguments.of("restart after a crash or watchdog kill", "Restart", "on-failure"),
        Arguments.of(
            "no restart for a bad config or a second instance (exit 2)",
            "RestartPreventExitStatus",
            "2"),
        Arguments.of("state dir for DAMON clean-up", "RuntimeDirectory", "tierd"),
        Arguments.of("no privilege gain through exec", "NoNewPrivileges", "yes"),
        Arguments.of("read-only file system", "ProtectSystem", "strict"),
        Arguments.of("no access to home directories", "ProtectHome", "yes"),
        Arguments.of("private /tmp", "PrivateTmp", "yes"),
        Arguments.of("/sys read-only but for ReadWritePaths", "ProtectKernelTunables", "yes"),
        Arguments.of(
            "EPERM, not SIGSYS: tierd probes and falls back", "SystemCallErrorNumber", "EPERM"));
  }

  @ParameterizedTest(name = "{0}: {1}={2}")
  @MethodSource("serviceSettings")
  void serviceSetting(String why, String key, String expected) {
    assertThat(one("Service", key)).as(why).isEqualTo(expected);
  }

  @Test
  void watchdogIsSetAndLongerThanACycleCanTake() {
    Duration watchdog = systemdDuration(one("Service", "WatchdogSec"));
    // tierd sends WATCHDOG=1 every WATCHDOG_USEC/2 while it waits, and after every cycle; the
    // longest interval the config allows is 1h, but cycles are bounded well below a minute.
    assertThat(watchdog).isBetween(Duration.ofSeconds(10), Duration.ofMinutes(5));
    assertThat(watchdog).isGreaterThan(TierdConfig.defaults().interval().multipliedBy(2));
  }

  @Test
  void restartIsRateLimited() {
    assertThat(systemdDuration(one("Service", "RestartSec"))).isPositive();
    assertThat(Integer.parseInt(one("Unit", "StartLimitBurst"))).isBetween(2, 20);
    assertThat(systemdDuration(one("Unit", "StartLimitIntervalSec")))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void capabilityBoundingSetIsWhatTierdNeedsAndNoMore() {
    Set<String> caps = new TreeSet<>();
    for (String v : all("Service", "CapabilityBoundingSet")) {
      caps.addAll(Arrays.asList(v.split("\\s+")));
    }
    // The capabilities the daemon's start-up probe checks (nativeio.Capabilities) ...
    Map<Integer, String> probed =
        Map.of(
            Capabilities.CAP_SYS_PTRACE, "CAP_SYS_PTRACE",
            Capabilities.CAP_SYS_NICE, "CAP_SYS_NICE",
            Capabilities.CAP_SYS_ADMIN, "CAP_SYS_ADMIN");
    assertThat(caps).containsAll(probed.values());
    // ... plus the DAC overrides for other users' pagemap (0400) and clear_refs (0200); nothing
    // else, and never an inverted (~) list, which would grant everything not listed.
    assertThat(caps)
        .containsExactlyInAnyOrder(
            "CAP_SYS_PTRACE",
            "CAP_SYS_NICE",
            "CAP_SYS_ADMIN",
            "CAP_DAC_READ_SEARCH",
            "CAP_DAC_OVERRIDE");
    assertThat(String.join(" ", all("Service", "AmbientCapabilities")))
        .as("root needs no ambient capabilities; the dedicated-user drop-in sets them")
        .isEmpty();
    assertThat(all("Service", "User"))
        .as("runs as root by default (see the unit's comment)")
        .isEmpty();
  }

  @Test
  void dedicatedUserDropInGrantsTheSameCapabilities() throws IOException {
    var dropIn = parseUnit(Files.readString(Path.of("systemd/dedicated-user.conf")));
    Set<String> ambient =
        new TreeSet<>(
            Arrays.asList(dropIn.get("Service").get("AmbientCapabilities").get(0).split("\\s+")));
    Set<String> bounding =
        new TreeSet<>(Arrays.asList(one("Service", "CapabilityBoundingSet").split("\\s+")));
    assertThat(ambient).isEqualTo(bounding);
  }

  @Test
  void fastFirstDropInReplacesExecStartWithTierdExec() throws IOException {
    var service =
        parseUnit(Files.readString(Path.of("systemd/fast-first.conf.example"))).get("Service");
    List<String> execStart = service.get("ExecStart");
    assertThat(execStart).as("an empty ExecStart= first, then the wrapped one").hasSize(2);
    assertThat(execStart.get(0)).isEmpty();
    assertThat(execStart.get(1)).startsWith("/usr/bin/tierd exec --fast-first -- /");
    assertThat(service.get("MemoryDenyWriteExecute")).containsExactly("no");
    assertThat(service.get("SystemCallFilter")).containsExactly("set_mempolicy");
  }

  @Test
  void syscallFilterKeepsTheNumaSyscalls() {
    List<String> filters = all("Service", "SystemCallFilter");
    assertThat(filters).isNotEmpty();
    assertThat(filters.get(0)).as("the first filter is an allow-list").doesNotStartWith("~");
    Set<String> allowed = new TreeSet<>();
    for (String f : filters) {
      List<String> items = Arrays.asList(f.replaceFirst("^~", "").split("\\s+"));
      if (f.startsWith("~")) {
        assertThat(items)
            .as("a deny list must not remove @resources (move_pages, migrate_pages, mbind)")
            .doesNotContain(
                "@resources",
                "@system-service",
                "move_pages",
                "migrate_pages",
                "mbind",
                "get_mempolicy",
                "set_mempolicy");
      } else {
        allowed.addAll(items);
      }
    }
    assertThat(allowed)
        .contains(
            "@system-service",
            "move_pages",
            "migrate_pages",
            "mbind",
            "get_mempolicy",
            "set_mempolicy");
  }

  @Test
  void damonSysfsIsWritableAlthoughKernelTunablesAreProtected() {
    String rw = String.join(" ", all("Service", "ReadWritePaths"));
    assertThat(rw)
        .contains(
            "/sys/kernel/mm/damon/admin",
            "/sys/kernel/mm/page_idle",
            "/sys/kernel/tracing/instances");
    assertThat(all("Service", "MemoryDenyWriteExecute"))
        .as("the JIT needs W+X memory")
        .allMatch(v -> v.equals("no"));
    assertThat(all("Service", "ProtectProc"))
        .as("tierd must see every process")
        .allMatch(v -> v.equals("default"));
  }

  @Test
  void runtimeDirectoryIsTheConfigDefault() {
    assertThat(TierdConfig.defaults().runtimeDirectory())
        .isEqualTo(Path.of("/run", one("Service", "RuntimeDirectory")));
  }

  @Test
  void footprintGuardsAndJvmFlags() {
    assertThat(systemdBytes(one("Service", "MemoryMax"))).isBetween(128L << 20, 1L << 30);
    assertThat(Integer.parseInt(one("Service", "TasksMax"))).isBetween(32, 512);
    String env = String.join(" ", all("Service", "Environment"));
    assertThat(env).contains("JAVA_OPTS=").contains("-Xmx").contains("-XX:+UseSerialGC");
    // JNA unpacks its native library: ProtectHome hides ~/.cache, so it must go somewhere the
    // unit makes writable.
    assertThat(env).contains("-Djna.tmpdir=/var/cache/tierd/");
    assertThat(one("Service", "CacheDirectory")).isEqualTo("tierd");
  }

  @Test
  void installLayoutIsTheSameEverywhere() throws IOException {
    String launcher = Files.readString(Path.of("bin/tierd"));
    String installer = Files.readString(Path.of("packaging/install.sh"));
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(launcher)
        .as("bin/tierd finds the installed jar")
        .contains("/usr/share/tierd/tierd.jar");
    assertThat(launcher).as("NotifyAccess=main needs exec").contains("exec ");
    assertThat(installer)
        .contains(
            "\"$D/usr/bin/tierd\"",
            "\"$D/usr/share/tierd/tierd.jar\"",
            "\"$D/etc/tierd/tierd.yaml\"",
            "\"$D/usr/lib/systemd/system/tierd.service\"");
    assertThat(dockerfile)
        .contains("/usr/share/tierd/tierd.jar", "/usr/bin/tierd", "/etc/tierd/tierd.yaml");
  }

  /** systemd.time(7) spans as used in the unit: "60s", "10min", "5s", "1h", or plain seconds. */
  static Duration systemdDuration(String s) {
    var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|sec|min|m|h)?").matcher(s.strip());
    assertThat(m.matches()).as("time span %s", s).isTrue();
    long n = Long.parseLong(m.group(1));
    String unitName = m.group(2) == null ? "s" : m.group(2);
    return switch (unitName) {
      case "ms" -> Duration.ofMillis(n);
      case "s", "sec" -> Duration.ofSeconds(n);
      case "min", "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** systemd.resource-control(5) sizes: K, M, G with base 1024. */
  static long systemdBytes(String s) {
    var m = java.util.regex.Pattern.compile("(\\d+)([KMG]?)").matcher(s.strip());
    assertThat(m.matches()).as("size %s", s).isTrue();
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          default -> 0;
        };
    return Long.parseLong(m.group(1)) << shift;
  }
}
