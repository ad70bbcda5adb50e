package tierd.heat.damon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.heat.SourceKind;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.Parse;
import tierd.process.ManagedProcess;

/**
 * Reads the results another DAMON user already has — the {@code tried_regions} of a vaddr kdamond's
 * {@code stat} scheme — without writing anything under the DAMON tree.
 *
 * <p>It exists for two cases: a host where someone else runs DAMON on the workloads tierd manages
 * (tierd may not touch their kdamond, but may read it), and a fixture tree captured from a real
 * machine, where {@code tierd plan --root DIR} must not write at all. The results are only as fresh
 * as the owner's last {@code update_schemes_tried_regions} (usage.rst: the directories are filled
 * on request), which is why this source is never in the default preference list.
 *
 * <p>Only contexts with one target are used: {@code tried_regions} does not say which target a
 * region belongs to, so a multi-target context's regions cannot be attributed to a pid.
 */
public final class DamonObserveSource implements HeatSource {

  private static final Logger log = LoggerFactory.getLogger(DamonObserveSource.class);

  private final DamonFs fs;
  private final Set<Integer> managed = new HashSet<>();
  private boolean warnedMultiTarget;

  public DamonObserveSource(DamonFs fs, LongSupplier nanos) {
    this.fs = fs;
  }

  @Override
  public String name() {
    return SourceKind.DAMON_OBSERVE.label();
  }

  @Override
  public void update(Collection<ManagedProcess> processes) {
    managed.clear();
    processes.forEach(p -> managed.add(p.pid()));
  }

  @Override
  public List<RegionSample> collect() {
    List<RegionSample> out = new ArrayList<>();
    DamonStatus status = DamonStatus.read(fs);
    for (DamonStatus.Kdamond k : status.kdamonds()) {
      if (!k.virtual() || k.targetPids().isEmpty()) {
        continue;
      }
      if (k.targetPids().size() > 1) {
        if (!warnedMultiTarget) {
          warnedMultiTarget = true;
          log.info(
              "kdamond {} watches {} targets; its tried_regions cannot be attributed to pids",
              k.index(),
              k.targetPids().size());
        }
        continue;
      }
      int pid = k.targetPids().get(0);
      if (!managed.contains(pid)) {
        continue;
      }
      String ctx = "kdamonds/" + k.index() + "/contexts/0/";
      long sampleUs = micros(ctx + "monitoring_attrs/intervals/sample_us");
      long aggrUs = micros(ctx + "monitoring_attrs/intervals/aggr_us");
      if (sampleUs <= 0 || aggrUs < sampleUs) {
        continue;
      }
      int max = (int) Math.min(Integer.MAX_VALUE, aggrUs / sampleUs);
      long addrUnit = fs.exists(ctx + "addr_unit") ? micros(ctx + "addr_unit") : 1;
      Duration window = Duration.ofNanos(aggrUs * 1000);
      Duration check = Duration.ofNanos(sampleUs * 1000);
      for (int s = 0; s < k.schemeActions().size(); s++) {
        if (!k.schemeActions().get(s).equals("stat")) {
          continue;
        }
        String dir = ctx + "schemes/" + s + "/tried_regions";
        if (!fs.exists(dir)) {
          continue;
        }
        List<TriedRegion> regions = TriedRegion.readDir(fs, dir, addrUnit);
        for (TriedRegion r : regions) {
          int n = (int) Math.min(max, r.nrAccesses());
          out.add(
              new RegionSample(
                  pid, r.range(), n, max, window, check, window.multipliedBy(r.age()), name()));
        }
        if (!regions.isEmpty()) {
          break; // one stat scheme's view per target is enough
        }
      }
    }
    return out;
  }

  private long micros(String rel) {
    try {
      return Parse.unsigned(fs.read(rel).strip(), 1, rel);
    } catch (KernelFsException e) {
      throw e.withFile(fs.path(rel));
    }
  }

  @Override
  public void close() {
    // Read-only: nothing was created.
  }
}
