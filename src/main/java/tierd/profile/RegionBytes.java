package tierd.profile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.process.VmaIndex;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;

/**
 * One scored region as the profile counts it: its resident bytes (not its address-space size), its
 * heat (accesses per byte), its class and its idle age.
 */
public record RegionBytes(
    ProcessId process, long residentBytes, double heat, HeatClass heatClass, Duration idleAge) {

  /**
   * The regions of {@code scored} with their resident bytes from the processes' VMAs; regions of a
   * process not in {@code processes}, and regions with no resident byte, are left out.
   */
  public static List<RegionBytes> of(List<ScoredRegion> scored, List<ManagedProcess> processes) {
    Map<Integer, VmaIndex> byPid = new HashMap<>();
    Map<Integer, Long> startOf = new HashMap<>();
    for (ManagedProcess p : processes) {
      byPid.put(p.pid(), VmaIndex.of(p.vmas()));
      startOf.put(p.pid(), p.startTimeTicks());
    }
    List<RegionBytes> out = new ArrayList<>(scored.size());
    for (ScoredRegion s : scored) {
      VmaIndex idx = byPid.get(s.pid());
      if (idx == null || startOf.get(s.pid()) != s.startTimeTicks()) {
        continue;
      }
      long resident = idx.presentBytes(s.range());
      if (resident > 0) {
        out.add(new RegionBytes(s.process(), resident, s.heat(), s.heatClass(), s.idleAge()));
      }
    }
    return out;
  }
}
