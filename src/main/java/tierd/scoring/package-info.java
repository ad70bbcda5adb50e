/**
 * Scoring: region samples in, scored regions out. Pure: no I/O, no clock reads (the cycle's time is
 * an input), no logging as the record of a decision.
 *
 * <p>Vocabulary:
 *
 * <ul>
 *   <li><em>region</em>: an address range of one process ({@code pid} + {@code startTimeTicks}, see
 *       {@link tierd.model.ProcessId}) as a hotness source reported it this cycle;
 *   <li><em>observation</em>: the region's access rate in one window (accesses per second per page,
 *       {@link tierd.heat.RegionSample#accessRatePerSecond()}: the access fraction normalised to
 *       the source's check interval), on the {@link tierd.scoring.HeatScale} in [0, 1): rate /
 *       (rate + 1/s). Normalising to the intervals in force is what lets a source re-tune its
 *       sampling without changing a region's class (DESIGN.md rule 8);
 *   <li><em>heat</em>: an exponential moving average of observations, decayed in <em>time</em> with
 *       a configured half-life (never per cycle), in [0, 1];
 *   <li><em>hot windows</em>: consecutive windows in which the heat stood at or above the hot
 *       threshold;
 *   <li><em>idle age</em>: how long the region's observations have stayed at or below the cold
 *       threshold;
 *   <li><em>class</em>: {@link tierd.scoring.HeatClass#HOT} when heat ≥ hot threshold for at least
 *       {@code confirmWindows} windows; {@link tierd.scoring.HeatClass#COLD} when heat ≤ cold
 *       threshold and idle age ≥ {@code coldMinAge}; otherwise {@link
 *       tierd.scoring.HeatClass#WARM}. "Frequency for hot, age for cold" (design rule 7, seed 003).
 * </ul>
 *
 * <p>Invariants: {@code cold threshold + minGap ≤ hot threshold} always holds (the hysteresis gap
 * that keeps pages from ping-ponging); output regions of one process never overlap and are sorted
 * by start; a {@link tierd.scoring.Scorer} holds history only for processes passed in the current
 * cycle and at most {@code maxRegionsPerProcess} regions each. History follows regions through
 * DAMON's splits and merges by address overlap, weighted by overlapping bytes.
 *
 * <p>Units: addresses and sizes in bytes, times as {@link java.time.Instant} / {@link
 * java.time.Duration}, heats and thresholds on the {@link tierd.scoring.HeatScale}: [0, 1), 0.5 =
 * one access per second per page.
 */
package tierd.scoring;
