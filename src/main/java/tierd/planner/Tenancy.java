package tierd.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.topology.Topology;

/**
 * Which tenant each managed process belongs to this cycle: {@code classes:} applied in order, the
 * first match wins, and a process no class matches falls into {@code default} (the class of that
 * name when the config has one, else one with no floor and no ceiling). A class matched by cgroup
 * makes one tenant per cgroup, named {@code class/leaf} ({@code batch/svc-2}; the class and the
 * whole path when two cgroups of a class share a leaf); any other class is one tenant named after
 * it. {@link #NONE} (no classes configured) plans exactly as before classes existed.
 *
 * @param tenants the tenants, in the order their first process was seen
 * @param tenantOfPid index into {@code tenants} per managed pid
 */
public record Tenancy(List<Tenant> tenants, Map<Integer, Integer> tenantOfPid) {

  /** One tenant: its name, its class, and its cgroup when the class is per cgroup (else ""). */
  public record Tenant(String name, TenantClass tenantClass, String cgroupPath) {

    /** Its share with these figures: before and after a plan, and the plan's moves of it. */
    TenantShare share(
        long residentBytes,
        long fastBytes,
        long projectedFastBytes,
        Map<ReasonCode, Long> movesByReason) {
      long ceilingBytes = tenantClass.ceilingBytes(residentBytes);
      return new TenantShare(
          name,
          tenantClass.name(),
          tenantClass.priority(),
          residentBytes,
          fastBytes,
          projectedFastBytes,
          tenantClass.fastMin().isPresent() ? tenantClass.floorBytes(residentBytes) : -1,
          tenantClass.fastMax().isPresent() ? ceilingBytes : -1,
          tenantClass.fastMin().map(FastShare::toString).orElse(""),
          tenantClass.fastMax().map(FastShare::toString).orElse(""),
          movesByReason);
    }
  }

  /** No classes: no tenant rules at all. */
  public static final Tenancy NONE = new Tenancy(List.of(), Map.of());

  public Tenancy {
    tenants = List.copyOf(tenants);
    tenantOfPid = Map.copyOf(tenantOfPid);
  }

  /** True when classes are configured (every managed process then has a tenant). */
  public boolean configured() {
    return !tenants.isEmpty();
  }

  /**
   * The tenants of {@code processes} under {@code classes} (in config order; a class named {@code
   * default} takes what no other matches). {@code argv0} gives a pid's first command line word; it
   * is called only for classes with an exe matcher. No classes: {@link #NONE}.
   */
  public static Tenancy assign(
      List<TenantClass> classes, List<ManagedProcess> processes, IntFunction<String> argv0) {
    if (classes.isEmpty()) {
      return NONE;
    }
    TenantClass fallback = TenantClass.DEFAULT;
    List<TenantClass> matching = new ArrayList<>();
    for (TenantClass c : classes) {
      if (c.name().equals(TenantClass.DEFAULT_NAME)) {
        fallback = c;
      } else {
        matching.add(c);
      }
    }
    List<Tenant> tenants = new ArrayList<>();
    Map<String, Integer> indexOfKey = new HashMap<>();
    Set<String> names = new HashSet<>();
    Map<Integer, Integer> tenantOfPid = new HashMap<>();
    for (ManagedProcess process : processes) {
      TenantClass found = fallback;
      for (TenantClass c : matching) {
        if (c.matches(process.comm(), process.cgroupPath(), () -> argv0.apply(process.pid()))) {
          found = c;
          break;
        }
      }
      String cgroup = found.perCgroup() ? process.cgroupPath() : "";
      String key = found.name() + "\0" + cgroup;
      Integer index = indexOfKey.get(key);
      if (index == null) {
        index = tenants.size();
        indexOfKey.put(key, index);
        String name = found.perCgroup() ? found.name() + "/" + leaf(cgroup) : found.name();
        if (!names.add(name)) {
          name = found.name() + ":" + cgroup;
          names.add(name);
        }
        tenants.add(new Tenant(name, found, cgroup));
      }
      tenantOfPid.put(process.pid(), index);
    }
    return new Tenancy(tenants, tenantOfPid);
  }

  /**
   * Per tenant, by index: its present bytes on every node ({@code residentBytes}) and on the fast
   * tier, the nodes of tier rank 0 ({@code fastBytes}), from the VMAs' pages per node.
   */
  public record Usage(long[] residentBytes, long[] fastBytes) {}

  /**
   * What each tenant of {@code processes} holds, on every node and on {@code topology}'s fast tier.
   */
  public Usage usage(List<ManagedProcess> processes, Topology topology) {
    long[] resident = new long[tenants.size()];
    long[] fast = new long[tenants.size()];
    for (ManagedProcess process : processes) {
      Integer tenant = tenantOfPid.get(process.pid());
      if (tenant == null) {
        throw new IllegalArgumentException("pid " + process.pid() + " has no tenant");
      }
      for (Vma vma : process.vmas()) {
        resident[tenant] += vma.presentBytes();
        for (var onNode : vma.pagesPerNode().entrySet()) {
          if (topology.rankOf(onNode.getKey()) == 0) {
            fast[tenant] += onNode.getValue() * vma.pageBytes();
          }
        }
      }
    }
    return new Usage(resident, fast);
  }

  /**
   * Each tenant's fast-tier share as {@code processes} hold it now, without a plan; empty without
   * classes.
   */
  public List<TenantShare> shares(List<ManagedProcess> processes, Topology topology) {
    if (!configured()) {
      return List.of();
    }
    Usage usage = usage(processes, topology);
    List<TenantShare> out = new ArrayList<>(tenants.size());
    for (int tenant = 0; tenant < tenants.size(); tenant++) {
      out.add(
          tenants
              .get(tenant)
              .share(
                  usage.residentBytes()[tenant],
                  usage.fastBytes()[tenant],
                  usage.fastBytes()[tenant],
                  Map.of()));
    }
    return out;
  }

  private static String leaf(String cgroupPath) {
    int slash = cgroupPath.lastIndexOf('/', cgroupPath.length() - 2);
    String leaf = cgroupPath.substring(slash + 1);
    leaf = leaf.endsWith("/") ? leaf.substring(0, leaf.length() - 1) : leaf;
    return leaf.isEmpty() ? cgroupPath : leaf;
  }
}
