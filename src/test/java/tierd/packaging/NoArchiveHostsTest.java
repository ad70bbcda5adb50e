package tierd.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The repository names no package registry or archive host (issue 14): scripts take the archive
 * from the machine's own apt sources ({@code packaging/apt-sources.sh}) and container bases by
 * their short names, so they follow the machine's mirrors and proxies. Every file git tracks is
 * searched for the well-known hosts. The patterns write the dots as {@code [.]}, so this file does
 * not name them either; each is checked against a sample built at run time, so none is dead.
 */
class NoArchiveHostsTest {

  /** Well-known registry and archive hosts (a subdomain matches too), by ecosystem. */
  static Stream<Arguments> hosts() {
    return Stream.of(
        Arguments.of(
            "Debian archives",
            "(deb|security|ftp|ftp[.][a-z]{2}|httpredir|cdn-fastly[.]deb|snapshot|archive)"
                + "[.]debian[.]org",
            List.of("deb", "debian", "org")),
        Arguments.of(
            "Ubuntu archives",
            "([a-z]{2}[.])?(archive|security|ports)[.]ubuntu[.]com",
            List.of("archive", "ubuntu", "com")),
        Arguments.of(
            "Maven repositories",
            "(repo[.]maven[.]apache[.]org|repo1[.]maven[.]org|central[.]sonatype[.](com|org)"
                + "|oss[.]sonatype[.]org|repository[.]apache[.]org|plugins[.]gradle[.]org"
                + "|jcenter[.]bintray[.]com)",
            List.of("repo", "maven", "apache", "org")),
        Arguments.of(
            "container registries",
            "(docker[.]io|ghcr[.]io|quay[.]io|gcr[.]io|registry[.]k8s[.]io|mcr[.]microsoft[.]com"
                + "|public[.]ecr[.]aws)",
            List.of("docker", "io")),
        Arguments.of(
            "language registries",
            "(registry[.]npmjs[.]org|registry[.]yarnpkg[.]com|pypi[.]org|files[.]pythonhosted[.]org"
                + "|pypi[.]python[.]org|proxy[.]golang[.]org|sum[.]golang[.]org|crates[.]io"
                + "|rubygems[.]org)",
            List.of("pypi", "org")),
        Arguments.of(
            "other distributions and vendors",
            "(dl-cdn[.]alpinelinux[.]org|download[.]fedoraproject[.]org"
                + "|mirrors[.]fedoraproject[.]org|mirror[.]centos[.]org|packages[.]adoptium[.]net"
                + "|repos[.]azul[.]com|packages[.]cloud[.]google[.]com|deb[.]nodesource[.]com)",
            List.of("dl-cdn", "alpinelinux", "org")));
  }

  static List<Path> tracked;

  @BeforeAll
  static void listTrackedFiles() throws Exception {
    Process git = new ProcessBuilder("git", "ls-files", "-z").redirectErrorStream(false).start();
    byte[] out = git.getInputStream().readAllBytes();
    assumeThat(git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0)
        .as("a git checkout (git ls-files)")
        .isTrue();
    tracked = new ArrayList<>();
    for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
      if (!name.isEmpty() && Files.isRegularFile(Path.of(name))) {
        tracked.add(Path.of(name));
      }
    }
    assertThat(tracked).contains(Path.of("pom.xml"), Path.of("packaging/build-image.sh"));
  }

  /** A host name in a URL, a path or prose: not preceded by a name character. */
  static Pattern pattern(String hosts) {
    return Pattern.compile("(?<![A-Za-z0-9-])" + hosts + "(?![A-Za-z0-9-])");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void noTrackedFileNamesAHost(String ecosystem, String hosts, List<String> sample)
      throws IOException {
    Pattern p = pattern(hosts);
    assertThat(p.matcher("URIs: http://" + String.join(".", sample) + "/x").find())
        .as("the pattern finds a sample host")
        .isTrue();
    List<String> found = new ArrayList<>();
    for (Path f : tracked) {
      byte[] bytes = Files.readAllBytes(f);
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      List<String> lines = text.lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        var m = p.matcher(lines.get(i));
        if (m.find()) {
          found.add(f + ":" + (i + 1) + ": " + m.group());
        }
      }
    }
    assertThat(found)
        .as(
            "%s named in the repository; take them from the machine's configuration (apt"
                + " sources: packaging/apt-sources.sh; container bases: short names)",
            ecosystem)
        .isEmpty();
  }

  // --- packaging/apt-sources.sh ----------------------------------------------------------------

  @TempDir Path etc;

  /** {@code FUNCTION SUITE} of apt-sources.sh over {@link #etc}: its output, or "(none)". */
  private String run(String function, String suite) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash", "-c", ". packaging/apt-sources.sh && " + function + " \"$1\"", "-", suite)
            .redirectErrorStream(true);
    pb.environment().put("TIERD_APT_ETC", etc.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0 ? out : "(none)";
  }

  @Test
  void theArchiveComesFromTheMachinesOwnSourcesInEitherFormat() throws Exception {
    Files.createDirectories(etc.resolve("sources.list.d"));
    Files.writeString(
        etc.resolve("sources.list"),
        """
        # deb http://old.example/debian bookworm main
        deb-src http://src.example/debian bookworm main
        deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] \
        http://mirror.example/debian/ bookworm main contrib
        """);
    Files.writeString(
        etc.resolve("sources.list.d/security.sources"),
        """
        Types: deb deb-src
        # a snapshot, once
        URIs: http://security.example/debian-security http://second.example/x
        Suites: bookworm-security
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        URIs: http://disabled.example/debian
        Suites: bookworm-backports
        Enabled: no
        """);
    Files.writeString(
        etc.resolve("sources.list.d/backports.list.disabled"),
        "deb http://ignored.example/debian bookworm-backports main\n");
    assertThat(run("apt_source_uri", "bookworm")).isEqualTo("http://mirror.example/debian");
    assertThat(run("apt_source_uri", "bookworm-security"))
        .isEqualTo("http://security.example/debian-security");
    assertThat(run("apt_source_uri", "bookworm-backports")).isEqualTo("(none)");
    assertThat(run("apt_source_uri", "trixie")).isEqualTo("(none)");
  }

  @Test
  void noSourceAtAllIsNoArchive() throws Exception {
    assertThat(run("apt_source_uri", "bookworm")).isEqualTo("(none)");
  }
}
