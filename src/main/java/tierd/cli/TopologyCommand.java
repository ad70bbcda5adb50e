package tierd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tierd.config.TierdConfig;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.PageSize;
import tierd.source.sys.TieringKnobs;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

@Command(
    name = "topology",
    mixinStandardHelpOptions = true,
    description = "Show memory nodes, tiers, distances, capacity and demotion/promotion targets.")
final class TopologyCommand implements Callable<Integer> {

  @Mixin CommonOptions common = new CommonOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    TierdConfig c = common.config();
    KernelRoot root = common.kernelRoot(c);
    Topology t = new TopologyReader(root, PageSize.of(root)).read(c.tiers());
    TopologyReport r = TopologyReport.of(t, TieringKnobs.read(root));
    spec.commandLine().getOut().print(common.json ? Json.write(r) + "\n" : r.text());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
