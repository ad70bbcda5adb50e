package tierd.heat.damon;

import tierd.kernelfs.KernelFsException;

/**
 * What a refused DAMON sysfs write means. The kernel answers with an errno only, so the errno text
 * that {@link tierd.kernelfs.KernelFiles#classify} keeps in the detail is all there is:
 *
 * <ul>
 *   <li>EBUSY: {@code nr_kdamonds} written while a kdamond runs, or another writer holds {@code
 *       damon_sysfs_lock} ({@code mutex_trylock} in every store, mm/damon/sysfs.c);
 *   <li>EINVAL: a bad value, a vaddr target pid that no longer exists ({@code find_get_pid} in
 *       {@code damon_sysfs_add_target}), or a command to a kdamond that is not running;
 *   <li>EPERM: {@code off} to a kdamond whose thread already stopped ({@code __damon_stop}).
 * </ul>
 */
public final class DamonErrors {

  private DamonErrors() {}

  public static boolean busy(KernelFsException e) {
    return textOf(e).contains("Device or resource busy") || textOf(e).contains("EBUSY");
  }

  public static boolean invalid(KernelFsException e) {
    return textOf(e).contains("Invalid argument");
  }

  public static boolean notPermitted(KernelFsException e) {
    return textOf(e).contains("Operation not permitted");
  }

  private static String textOf(KernelFsException e) {
    return String.valueOf(e.getMessage());
  }
}
