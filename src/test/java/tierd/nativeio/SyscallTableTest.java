package tierd.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyscallTableTest {

  @ParameterizedTest(name = "{0}: move_pages {1}, mbind {2}, get_mempolicy {3}, migrate_pages {4}")
  @CsvSource({
    // os.arch     move_pages mbind get_mempolicy migrate_pages set_mempolicy
    "amd64,        279,       237,  239,          256,          238",
    "x86_64,       279,       237,  239,          256,          238",
    "aarch64,      239,       235,  236,          238,          237",
    "riscv64,      239,       235,  236,          238,          237",
    "loongarch64,  239,       235,  236,          238,          237",
  })
  void numbersFollowTheKernelsTables(
      String arch,
      long movePages,
      long mbind,
      long getMempolicy,
      long migratePages,
      long setMempolicy) {
    SyscallTable t = SyscallTable.forArch(arch);
    assertThat(t.move_pages()).isEqualTo(movePages);
    assertThat(t.mbind()).isEqualTo(mbind);
    assertThat(t.get_mempolicy()).isEqualTo(getMempolicy);
    assertThat(t.migrate_pages()).isEqualTo(migratePages);
    assertThat(t.set_mempolicy()).isEqualTo(setMempolicy);
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource({"i386", "arm", "ppc64le", "s390x"})
  void otherArchitecturesAreRefusedByName(String arch) {
    assertThatThrownBy(() -> SyscallTable.forArch(arch))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "no NUMA syscall numbers for architecture '"
                + arch
                + "' (supported: x86_64/amd64, aarch64, riscv64, loongarch64)");
  }
}
