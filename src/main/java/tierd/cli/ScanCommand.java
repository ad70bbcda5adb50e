package tierd.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tierd.config.TierdConfig;
import tierd.daemon.TrackingLimits;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.PageSize;
import tierd.planner.Tenancy;
import tierd.planner.TenantShare;
import tierd.process.ProcessScanner;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description =
        "Show where each managed process's memory sits: bytes per node and tier, policy and"
            + " allowed nodes.")
final class ScanCommand implements Callable<Integer> {

  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--vmas", description = "Also list every VMA with present pages.")
  boolean vmas;

  @Option(
      names = "--all",
      description = "Ignore the config's process filters (still skips kernel threads and tierd).")
  boolean all;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    TierdConfig c = common.config();
    KernelRoot root = common.kernelRoot(c);
    Topology t = new TopologyReader(root, PageSize.of(root)).read(c.tiers());
    long self = root.isHost() ? ProcessHandle.current().pid() : -1;
    var filter = all ? tierd.process.ProcessFilter.all(self) : c.processes().filter(self);
    // the daemon's tracking limits: a host of any size is listed within this JVM's heap
    TrackingLimits limits = TrackingLimits.forHeap(Runtime.getRuntime().maxMemory());
    ProcessScanner scanner = new ProcessScanner(root);
    scanner.maxFileBytes(limits.maxFileBytes());
    ProcessScanner.Result r = scanner.scan(filter, t.nodeIds(), limits.maxVmas());
    if (r.leftOutProcesses() > 0 || r.leftOutVmas() > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "tierd: %d smaller processes and %d VMAs are not listed: the VMA limit of this heap is"
                  + " %d (a larger -Xmx in JAVA_OPTS raises it)%n",
              r.leftOutProcesses(), r.leftOutVmas(), limits.maxVmas());
    }
    List<TenantShare> tenants =
        Tenancy.assign(c.classes(), r.processes(), scanner::argv0).shares(r.processes(), t);
    ScanReport report =
        ScanReport.of(r, t, vmas, tenants, DemotionOnlyScan.of(c, r.processes()).orElse(null));
    spec.commandLine().getOut().print(common.json ? Json.write(report) + "\n" : report.text());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
