package tierd.nativeio;

import java.util.Locale;

/**
 * Syscall numbers of the NUMA memory-policy calls on one architecture. Components keep the C names
 * ({@code __NR_move_pages} and so on, without the prefix).
 *
 * <p>Sources, checked against the kernel tree:
 *
 * <ul>
 *   <li>x86_64: {@code arch/x86/entry/syscalls/syscall_64.tbl} (torvalds/linux): 237 common mbind,
 *       238 common set_mempolicy, 239 common get_mempolicy, 256 common migrate_pages, 279 64
 *       move_pages; the same numbers are in the uapi header {@code asm/unistd_64.h}.
 *   <li>aarch64, riscv64, loongarch64 (the asm-generic table): {@code
 *       include/uapi/asm-generic/unistd.h} (and {@code scripts/syscall.tbl} since 6.11, which
 *       generates it): {@code __NR_mbind 235}, {@code __NR_get_mempolicy 236}, {@code
 *       __NR_set_mempolicy 237}, {@code __NR_migrate_pages 238}, {@code __NR_move_pages 239}.
 * </ul>
 *
 * <p>32-bit ABIs (i386, arm, x32) have other numbers and 32-bit pointers; tierd refuses them.
 */
public record SyscallTable(
    String arch,
    long mbind,
    long set_mempolicy,
    long get_mempolicy,
    long migrate_pages,
    long move_pages) {

  /** x86_64, {@code arch/x86/entry/syscalls/syscall_64.tbl}. */
  public static final SyscallTable X86_64 = new SyscallTable("x86_64", 237, 238, 239, 256, 279);

  /** The asm-generic numbering used by arm64, riscv64 and loongarch64. */
  public static final SyscallTable ASM_GENERIC_AARCH64 =
      new SyscallTable("aarch64", 235, 237, 236, 238, 239);

  public static final SyscallTable ASM_GENERIC_RISCV64 =
      new SyscallTable("riscv64", 235, 237, 236, 238, 239);

  public static final SyscallTable ASM_GENERIC_LOONGARCH64 =
      new SyscallTable("loongarch64", 235, 237, 236, 238, 239);

  /**
   * The table for a JVM {@code os.arch} value ({@code amd64} and {@code x86_64} are the same
   * machine).
   *
   * @throws UnsupportedOperationException naming the architecture and the supported ones
   */
  public static SyscallTable forArch(String osArch) {
    String a = osArch.toLowerCase(Locale.ROOT);
    return switch (a) {
      case "amd64", "x86_64" -> X86_64;
      case "aarch64", "arm64" -> ASM_GENERIC_AARCH64;
      case "riscv64" -> ASM_GENERIC_RISCV64;
      case "loongarch64" -> ASM_GENERIC_LOONGARCH64;
      default ->
          throw new UnsupportedOperationException(
              "no NUMA syscall numbers for architecture '"
                  + osArch
                  + "' (supported: x86_64/amd64, aarch64, riscv64, loongarch64)");
    };
  }

  /** The table of the running JVM. */
  public static SyscallTable current() {
    return forArch(System.getProperty("os.arch", "unknown"));
  }
}
