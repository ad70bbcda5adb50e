package tierd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.planner.FastShare;
import tierd.planner.TenantClass;

class ClassesConfigTest {

  @Test
  void classesKeepTheirOrderMatchersSharesAndPriority() {
    TierdConfig c =
        TierdConfig.parse(
            "t.yaml",
            """
            classes:
              - name: web
                cgroups: ["/kubepods/**/web-*"]
                fastMin: 60%
                priority: 10
              - name: batch
                comm: "spark.*"
                exe: "/opt/.*"
                fastMax: 2GiB
              - name: default
                fastMax: 50%
            """);
    List<TenantClass> classes = c.classes();
    assertThat(classes).extracting(TenantClass::name).containsExactly("web", "batch", "default");
    TenantClass web = classes.get(0);
    assertThat(web.perCgroup()).isTrue();
    assertThat(web.fastMin()).contains(FastShare.ofResident(0.6));
    assertThat(web.fastMax()).isEmpty();
    assertThat(web.priority()).isEqualTo(10);
    assertThat(web.matches("nginx", "/kubepods/pod1/web-2", () -> "/usr/sbin/nginx")).isTrue();
    assertThat(web.matches("nginx", "/system.slice/nginx.service", () -> "")).isFalse();
    TenantClass batch = classes.get(1);
    assertThat(batch.perCgroup()).isFalse();
    assertThat(batch.fastMax()).contains(FastShare.ofBytes(2L << 30));
    assertThat(batch.priority()).isZero();
    assertThat(batch.matches("spark-exec", "/", () -> "/opt/spark/bin/java")).isTrue();
    assertThat(batch.matches("spark-exec", "/", () -> "/usr/bin/java")).isFalse();
    assertThat(classes.get(2).fastMax()).contains(FastShare.ofResident(0.5));
  }

  @Test
  void noClassesIsAnEmptyList() {
    assertThat(TierdConfig.defaults().classes()).isEmpty();
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        // name, yaml, expected message
        Arguments.of(
            "no name", "classes:\n  - fastMin: 1GiB\n", "t.yaml:2: classes[0].name: a class needs"),
        Arguments.of(
            "bad name",
            "classes:\n  - name: \"web tier\"\n",
            "t.yaml:2: classes[0].name: 'web tier' must be 1-64 letters"),
        Arguments.of(
            "same name twice",
            "classes:\n  - name: web\n  - name: web\n",
            "t.yaml:3: classes[1].name: 'web' names an earlier class too"),
        Arguments.of(
            "not a size",
            "classes:\n  - name: web\n    fastMin: lots\n",
            "t.yaml:3: classes[0].fastMin: 'lots'"),
        Arguments.of(
            "percent over 100",
            "classes:\n  - name: web\n    fastMax: 120%\n",
            "t.yaml:3: classes[0].fastMax: 120% is outside [0%, 100%]"),
        Arguments.of(
            "floor above ceiling",
            "classes:\n  - name: web\n    fastMin: 3GiB\n    fastMax: 2GiB\n",
            "t.yaml:3: classes[0].fastMin: 3GiB is above fastMax 2GiB"),
        Arguments.of(
            "priority out of range",
            "classes:\n  - name: web\n    priority: 5000\n",
            "t.yaml:3: classes[0].priority: 5000 is outside [-1000, 1000]"),
        Arguments.of(
            "relative cgroup",
            "classes:\n  - name: web\n    cgroups: [\"web-*\"]\n",
            "t.yaml:3: classes[0].cgroups: 'web-*' must be an absolute cgroup path glob"),
        Arguments.of(
            "default with matchers",
            "classes:\n  - name: default\n    comm: java\n",
            "t.yaml:2: classes[0].name: the class 'default' takes every process"),
        Arguments.of(
            "typo",
            "classes:\n  - name: web\n    fastmin: 1GiB\n",
            "classes[0].fastmin: unknown key"),
        Arguments.of(
            "not a list",
            "classes:\n  name: web\n",
            "t.yaml:1: classes: must be a list of mappings"),
        Arguments.of(
            "item not a mapping", "classes:\n  - web\n", "classes[0]: must be a mapping of keys"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errorsNameTheFileLineAndKey(String name, String yaml, String message) {
    assertThatThrownBy(() -> TierdConfig.parse("t.yaml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
