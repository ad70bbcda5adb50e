/**
 * An in-memory kernel for tests: NUMA nodes with capacities, processes with a start time, a cpuset
 * and VMAs, and the node of every page. {@link tierd.fake.FakeKernel} implements the production
 * ports ({@link tierd.mover.PagesPort}, {@link tierd.mover.ProcessIdentity}) with the kernel's
 * behaviours that matter to tierd, so the same contract tests run against it and the real kernel.
 *
 * <p>What it models after mm/migrate.c ({@code kernel_move_pages}, {@code do_pages_move}, {@code
 * do_pages_stat}) and man2/move_pages.2: ESRCH for a gone pid, EPERM for a denied one or
 * MPOL_MF_MOVE_ALL without CAP_SYS_NICE, EINVAL for bad flags, ENODEV for a target node that is
 * offline or has no memory, EACCES for a target outside the task's cpuset, status -EFAULT for an
 * unmapped address or the zero page, -ENOENT for a page never touched, -EACCES for a shared page
 * without MOVE_ALL, injectable -EBUSY, injectable migration failures (a positive return with the
 * status entries left untouched), ENOMEM when the target node is full, and the way the kernel stops
 * at the first failure and counts the pages it never reached. Like the kernel, it ignores memory
 * policy when moving.
 *
 * <p>It renders each process as {@code /proc/<pid>/numa_maps}, {@code maps} and {@code stat} text
 * in the kernel's formats, so the foundation's readers can run over it. Time is a {@link
 * tierd.fake.FakeTicker} that calls advance by a configurable cost.
 */
package tierd.fake;
