/**
 * The DAMON sysfs heat source ({@code /sys/kernel/mm/damon/admin}, through the {@link
 * tierd.heat.damon.DamonFs} port).
 *
 * <h2>Kernel semantics this package relies on (mm/damon/sysfs.c, 5.18 to 6.18)</h2>
 *
 * <ul>
 *   <li>Writing {@code kdamonds/nr_kdamonds} fails with EBUSY while any kdamond runs ({@code
 *       damon_sysfs_kdamonds_busy}), and otherwise removes <em>every</em> kdamond directory and
 *       creates that many fresh, unconfigured ones ({@code damon_sysfs_kdamonds_add_dirs}). So
 *       tierd creates its kdamond only when {@code nr_kdamonds} is 0, and an existing kdamond — on
 *       or off — means "DAMON busy". The same remove-and-recreate holds for {@code nr_contexts},
 *       {@code nr_targets}, {@code nr_regions}, {@code nr_schemes} and {@code nr_filters}.
 *   <li>Every store takes {@code damon_sysfs_lock} with {@code mutex_trylock}: a concurrent writer
 *       (another tool in the middle of a blocking {@code update_schemes_tried_regions}) makes any
 *       write, and a read of {@code pid}, fail with EBUSY. tierd retries those a bounded number of
 *       times.
 *   <li>{@code state}: {@code on} (EBUSY if running), {@code off} (EPERM if the thread already
 *       stopped), {@code commit} (5.19+; EINVAL if not running; before 6.11 a failed commit also
 *       stopped the kdamond), {@code update_schemes_tried_regions} (6.2+; returns after every
 *       scheme was applied once more).
 *   <li>A vaddr target pid that does not exist makes {@code on}/{@code commit} fail with EINVAL
 *       ({@code find_get_pid}); when every target has exited the kdamond stops by itself ({@code
 *       kdamond_need_stop}).
 *   <li>New schemes start with {@code access_pattern} min = max = 0 (matches nothing); tierd opens
 *       the maxima (sz {@code ULONG_MAX}, nr_accesses and age {@code UINT_MAX}).
 *   <li>{@code tried_regions/<N>} does not name the target: with several vaddr targets tierd uses
 *       one scheme per target with a DAMOS {@code target} filter (6.6+; {@code core_filters} from
 *       6.15, {@code filters} before; {@code allow} from 6.14).
 * </ul>
 *
 * <p>Units: {@code nr_accesses} counts sampling intervals of one aggregation interval; {@code age}
 * counts aggregation intervals; {@code start}/{@code end} are addresses times {@code addr_unit}
 * (6.18; 1 before).
 */
package tierd.heat.damon;
