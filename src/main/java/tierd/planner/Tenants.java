package tierd.planner;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tierd.process.ManagedProcess;
import tierd.topology.Topology;

/**
 * The tenants of one planning run ({@link Tenancy}) and their fast-tier bytes as the run books
 * moves: the fast tier is tier rank 0; a booked move between it and another tier changes its
 * tenant's fast bytes ({@link #book}), and a rolled-back one changes them back. Floors and ceilings
 * are resolved to bytes at the start (a share of resident memory times the tenant's present bytes);
 * a floor above the ceiling is taken as the ceiling. Unconfigured ({@link #none}), every question
 * answers "no rule": the plan is what it was before classes.
 */
final class Tenants {

  private final NodeTable nodes;
  private final Segments segments;
  private final int[] tenantOfProcess;
  private final Tenancy.Tenant[] tenants;
  private final long[] residentBytes;
  private final long[] fastAtStartBytes;
  private final long[] fastBytes;
  private final long[] floorBytes;
  private final long[] ceilingBytes;

  private Tenants(Tenancy tenancy, Topology topology, NodeTable nodes, Segments segments) {
    this.nodes = nodes;
    this.segments = segments;
    int count = tenancy.tenants().size();
    tenants = tenancy.tenants().toArray(new Tenancy.Tenant[0]);
    int processes = segments == null ? 0 : segments.processes().size();
    tenantOfProcess = new int[processes];
    List<ManagedProcess> managed = new ArrayList<>(processes);
    for (int index = 0; index < processes; index++) {
      ManagedProcess process = segments.processAt(index).process();
      managed.add(process);
      Integer tenant = tenancy.tenantOfPid().get(process.pid());
      tenantOfProcess[index] = tenant == null ? -1 : tenant;
    }
    Tenancy.Usage usage =
        count == 0 ? new Tenancy.Usage(new long[0], new long[0]) : tenancy.usage(managed, topology);
    residentBytes = usage.residentBytes();
    fastAtStartBytes = usage.fastBytes();
    floorBytes = new long[count];
    ceilingBytes = new long[count];
    for (int tenant = 0; tenant < count; tenant++) {
      TenantClass tenantClass = tenants[tenant].tenantClass();
      ceilingBytes[tenant] = tenantClass.ceilingBytes(residentBytes[tenant]);
      floorBytes[tenant] = tenantClass.floorBytes(residentBytes[tenant]);
    }
    fastBytes = fastAtStartBytes.clone();
  }

  /** The tenants of {@code tenancy} over the run's processes. */
  static Tenants of(Tenancy tenancy, Topology topology, NodeTable nodes, Segments segments) {
    return tenancy.configured() ? new Tenants(tenancy, topology, nodes, segments) : none();
  }

  /** No classes configured: no tenant rules. */
  static Tenants none() {
    return new Tenants(Tenancy.NONE, null, null, null);
  }

  boolean configured() {
    return tenants.length > 0;
  }

  int count() {
    return tenants.length;
  }

  /** The tenant of a segment's process; only when {@link #configured}. */
  int tenantOf(int segment) {
    return tenantOfProcess[segments.processIndex(segment)];
  }

  /** The tenant of the {@code processIndex}-th process of the run; only when configured. */
  int tenantOfProcess(int processIndex) {
    return tenantOfProcess[processIndex];
  }

  /** True when the tenant has a ceiling. */
  boolean hasCeiling(int tenant) {
    return ceilingBytes[tenant] != Long.MAX_VALUE;
  }

  String name(int tenant) {
    return tenants[tenant].name();
  }

  int priority(int tenant) {
    return tenants[tenant].tenantClass().priority();
  }

  /** True when {@code node} (a node index) is in the fast tier: tier rank 0. */
  boolean fast(int node) {
    return node < nodes.count() && nodes.tierRank(node) == 0;
  }

  long fastBytes(int tenant) {
    return fastBytes[tenant];
  }

  /** A copy of every tenant's fast bytes now (empty when unconfigured). */
  long[] fastBytesNow() {
    return fastBytes.clone();
  }

  /** True when one of {@code targets} (node indices) is in the fast tier. */
  boolean anyFast(int[] targets) {
    for (int target : targets) {
      if (fast(target)) {
        return true;
      }
    }
    return false;
  }

  long floorBytes(int tenant) {
    return floorBytes[tenant];
  }

  long ceilingBytes(int tenant) {
    return ceilingBytes[tenant];
  }

  /**
   * True when the tenant is at or below its floor (it has one): its data goes down for room only
   * once no tenant above its floor has data to give that is not hotter.
   */
  boolean atOrBelowFloor(int tenant) {
    return floorBytes[tenant] > 0 && fastBytes[tenant] <= floorBytes[tenant];
  }

  /** Fast bytes the tenant may give before it reaches its floor (unbounded without one). */
  long aboveFloorBytes(int tenant) {
    return floorBytes[tenant] > 0
        ? Math.max(0, fastBytes[tenant] - floorBytes[tenant])
        : Long.MAX_VALUE;
  }

  /** Bytes by which {@code addedBytes} more on the fast tier take the tenant over its ceiling. */
  long overCeilingBytes(int tenant, long addedBytes) {
    return ceilingBytes[tenant] == Long.MAX_VALUE
        ? Long.MIN_VALUE
        : fastBytes[tenant] + addedBytes - ceilingBytes[tenant];
  }

  /** Books ({@code sign} 1) or takes back (-1) a move's change of its tenant's fast bytes. */
  void book(Ledger.PlannedMove move, int sign) {
    if (!configured() || fast(move.source()) == fast(move.target())) {
      return;
    }
    int tenant = tenantOf(move.segment());
    fastBytes[tenant] += sign * (fast(move.target()) ? move.bytes() : -move.bytes());
  }

  /** {@code tenant web below floor 60 % (1.1GiB of 1.8GiB fast)}. */
  String floorText(int tenant) {
    return "tenant "
        + name(tenant)
        + (atOrBelowFloor(tenant) ? " below floor " : " above floor ")
        + shareText(tenant, tenants[tenant].tenantClass().fastMin(), floorBytes[tenant]);
  }

  /** {@code tenant batch/svc-2 over ceiling 2GiB (2.5GiB fast)}. */
  String ceilingText(int tenant) {
    return ceilingText(tenant, 0);
  }

  /**
   * {@code tenant batch/svc-2 at ceiling 2GiB (1.9GiB fast + 256MiB hot)}: where the tenant stands
   * when {@code hotBytes} more would go up.
   */
  String ceilingText(int tenant, long hotBytes) {
    String text =
        "tenant "
            + name(tenant)
            + (fastBytes[tenant] > ceilingBytes[tenant] ? " over ceiling " : " at ceiling ")
            + shareText(tenant, tenants[tenant].tenantClass().fastMax(), ceilingBytes[tenant]);
    return hotBytes <= 0
        ? text
        : text.substring(0, text.length() - 1) + " + " + Texts.bytes(hotBytes) + " hot)";
  }

  private String shareText(int tenant, Optional<FastShare> share, long bytes) {
    String configured = share.map(FastShare::toString).orElse("none");
    String effective = Texts.bytes(bytes);
    return configured
        + (share.isPresent() && !configured.equals(effective) ? " = " + effective : "")
        + " ("
        + Texts.bytes(fastBytes[tenant])
        + " fast)";
  }

  /** The tenants as the plan reports them, with the moves of {@code planned} per reason. */
  List<TenantShare> shares(List<Ledger.PlannedMove> planned) {
    if (!configured()) {
      return List.of();
    }
    List<Map<ReasonCode, Long>> moves = new ArrayList<>();
    for (int tenant = 0; tenant < tenants.length; tenant++) {
      moves.add(new EnumMap<>(ReasonCode.class));
    }
    for (Ledger.PlannedMove move : planned) {
      moves.get(tenantOf(move.segment())).merge(move.code(), 1L, Long::sum);
    }
    List<TenantShare> out = new ArrayList<>(tenants.length);
    for (int tenant = 0; tenant < tenants.length; tenant++) {
      out.add(
          tenants[tenant].share(
              residentBytes[tenant],
              fastAtStartBytes[tenant],
              fastBytes[tenant],
              moves.get(tenant)));
    }
    return out;
  }
}
