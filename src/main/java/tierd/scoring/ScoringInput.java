package tierd.scoring;

import java.time.Instant;
import java.util.List;
import tierd.heat.RegionSample;
import tierd.process.ManagedProcess;
import tierd.topology.Topology;

/**
 * What one scoring cycle needs.
 *
 * @param now the cycle's time (the scorer never reads a clock)
 * @param topology for the fast tier's capacity (tier rank 0)
 * @param processes the processes managed this cycle; history of any other process is dropped
 * @param samples the region samples collected this cycle
 * @param feedback the previous plan's promotion demand against its budget, or {@link
 *     PromotionFeedback#NONE}
 */
public record ScoringInput(
    Instant now,
    Topology topology,
    List<ManagedProcess> processes,
    List<RegionSample> samples,
    PromotionFeedback feedback) {

  public ScoringInput {
    processes = List.copyOf(processes);
    samples = List.copyOf(samples);
  }
}
