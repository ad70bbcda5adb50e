package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.vma;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;

class TenancyTest {

  static ManagedProcess process(int pid, String comm, String cgroup) {
    return new ManagedProcess(
        pid,
        1000 + pid,
        comm,
        0,
        cgroup,
        Fixtures.ALL,
        Optional.empty(),
        Fixtures.ALL,
        List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 16 * MiB, 2, 48 * MiB))));
  }

  static TenantClass byComm(String name, String comm) {
    return new TenantClass(
        name,
        new ProcessFilter(Optional.of(Pattern.compile(comm)), Optional.empty(), List.of(), 0, -1),
        Optional.empty(),
        Optional.empty(),
        0);
  }

  static TenantClass byCgroup(String name, String glob) {
    return new TenantClass(
        name,
        new ProcessFilter(Optional.empty(), Optional.empty(), List.of(glob), 0, -1),
        Optional.of(FastShare.ofResident(0.5)),
        Optional.empty(),
        0);
  }

  static TenantClass byExe(String name, String exe) {
    return new TenantClass(
        name,
        new ProcessFilter(Optional.empty(), Optional.of(Pattern.compile(exe)), List.of(), 0, -1),
        Optional.empty(),
        Optional.empty(),
        0);
  }

  static final List<ManagedProcess> PROCESSES =
      List.of(
          process(1, "nginx", "/kubepods/pod-a/web-1"),
          process(2, "nginx", "/kubepods/pod-b/web-2"),
          process(3, "spark", "/batch.slice/svc-2"),
          process(4, "java", "/system.slice/app.service"),
          process(5, "nginx", "/kubepods/pod-c/web-1"));

  @Test
  void theFirstMatchWinsAndTheRestFallIntoDefault() {
    Tenancy tenancy =
        Tenancy.assign(
            List.of(byComm("batch", "spark|nginx"), byComm("web", "nginx")), PROCESSES, pid -> "");
    assertThat(names(tenancy)).containsExactly("batch", "default");
    assertThat(tenancy.tenantOfPid()).containsEntry(1, 0).containsEntry(3, 0).containsEntry(4, 1);
  }

  @Test
  void aClassMatchedByCgroupIsOneTenantPerCgroupNamedAfterItsLeaf() {
    Tenancy tenancy =
        Tenancy.assign(List.of(byCgroup("web", "/kubepods/**")), PROCESSES, pid -> "");
    assertThat(names(tenancy))
        .as("two cgroups whose leaf is web-1 keep their whole paths")
        .containsExactly("web/web-1", "web/web-2", "default", "web:/kubepods/pod-c/web-1");
    assertThat(tenancy.tenants().get(0).cgroupPath()).isEqualTo("/kubepods/pod-a/web-1");
  }

  @Test
  void theCommandLineIsReadOnlyForAClassWithAnExeMatcher() {
    List<Integer> asked = new ArrayList<>();
    Tenancy tenancy =
        Tenancy.assign(
            List.of(byComm("web", "nginx"), byExe("jvm", "/usr/bin/java")),
            PROCESSES,
            pid -> {
              asked.add(pid);
              return pid == 4 ? "/usr/bin/java" : "/bin/other";
            });
    assertThat(asked).as("pids 1, 2, 5 matched web first").containsExactly(3, 4);
    assertThat(names(tenancy)).containsExactly("web", "default", "jvm");
  }

  @Test
  void aDefaultClassInTheConfigTakesTheUnmatched() {
    TenantClass ownDefault =
        new TenantClass(
            TenantClass.DEFAULT_NAME,
            ProcessFilter.all(-1),
            Optional.of(FastShare.ofBytes(GiB)),
            Optional.empty(),
            -3);
    Tenancy tenancy =
        Tenancy.assign(List.of(ownDefault, byComm("web", "nginx")), PROCESSES, pid -> "");
    assertThat(names(tenancy)).containsExactly("web", "default");
    assertThat(tenancy.tenants().get(1).tenantClass()).isSameAs(ownDefault);
  }

  @Test
  void noClassesIsNoTenancy() {
    assertThat(Tenancy.assign(List.of(), PROCESSES, pid -> "")).isSameAs(Tenancy.NONE);
    assertThat(Tenancy.NONE.configured()).isFalse();
    assertThat(Tenancy.NONE.shares(PROCESSES, Fixtures.roomyBox())).isEmpty();
  }

  @Test
  void sharesCountResidentAndFastTierBytesPerTenant() {
    Tenancy tenancy =
        Tenancy.assign(List.of(byCgroup("web", "/kubepods/**")), PROCESSES, pid -> "");
    List<TenantShare> shares = tenancy.shares(PROCESSES, Fixtures.roomyBox());
    TenantShare web1 = shares.get(0);
    assertThat(web1.residentBytes()).isEqualTo(64 * MiB);
    assertThat(web1.fastBytes()).as("node 0 is in tier 0, node 2 is not").isEqualTo(16 * MiB);
    assertThat(web1.floorBytes()).as("50 % of resident").isEqualTo(32 * MiB);
    assertThat(web1.ceilingBytes()).isEqualTo(-1);
    assertThat(web1.deficitBytes()).isEqualTo(16 * MiB);
    assertThat(shares.get(2).floorBytes()).as("default: no floor").isEqualTo(-1);
    assertThat(shares.get(2).residentBytes()).as("pids 3 and 4").isEqualTo(128 * MiB);
  }

  @Test
  void aProcessWithoutATenantIsAnError() {
    Tenancy tenancy = Tenancy.assign(List.of(byComm("web", "nginx")), PROCESSES, pid -> "");
    List<ManagedProcess> more = new ArrayList<>(PROCESSES);
    more.add(process(9, "late", "/"));
    assertThatThrownBy(() -> tenancy.shares(more, Fixtures.roomyBox()))
        .hasMessage("pid 9 has no tenant");
  }

  static Stream<Arguments> shares() {
    return Stream.of(
        Arguments.of("fixed bytes", FastShare.ofBytes(2 * GiB), 10 * GiB, 2 * GiB, "2GiB"),
        Arguments.of("share of resident", FastShare.ofResident(0.6), 10 * GiB, 6 * GiB, "60 %"),
        Arguments.of("fraction", FastShare.ofResident(0.125), 8 * GiB, GiB, "12.5 %"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shares")
  void aFastShareResolvesToBytesOfResidentMemory(
      String name, FastShare share, long residentBytes, long bytes, String text) {
    assertThat(share.bytesOf(residentBytes)).isEqualTo(bytes);
    assertThat(share).hasToString(text);
  }

  @Test
  void aFloorAboveItsCeilingIsTheCeiling() {
    TenantClass capped =
        new TenantClass(
            "capped",
            ProcessFilter.all(-1),
            Optional.of(FastShare.ofBytes(3 * GiB)),
            Optional.of(FastShare.ofResident(0.2)),
            0);
    assertThat(capped.ceilingBytes(10 * GiB)).isEqualTo(2 * GiB);
    assertThat(capped.floorBytes(10 * GiB)).isEqualTo(2 * GiB);
    assertThat(capped.floorBytes(20 * GiB)).isEqualTo(3 * GiB);
  }

  private static List<String> names(Tenancy tenancy) {
    return tenancy.tenants().stream().map(Tenancy.Tenant::name).toList();
  }
}
