package tierd.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;
import tierd.process.Vma;

/**
 * A benchmark's heat source, not a kernel's: it reports about {@code regions} regions per window
 * over the managed processes' VMAs with pages, as many as a source watching every page chunk of a
 * large host would (idle-page tracking reports one per 2 MiB of resident memory), to load the
 * daemon's heat, score and plan stages at that scale (issue 14, point 5; bench/scale.sh). Each
 * process gets an equal share, split over its VMAs by size; a region's access count is a seeded
 * function of its place that changes every ten windows, so some regions are hot, most cold, and the
 * scorer's history has work to do. Samples are streamed ({@link #collect(Consumer)}) as the
 * page-chunk sources do.
 */
final class SyntheticHeat implements HeatSource {

  static final int MAX_ACCESSES = 20;

  private final long regions;
  private final Duration window;
  private List<ManagedProcess> processes = List.of();
  private long windows;

  SyntheticHeat(long regions, Duration window) {
    this.regions = regions;
    this.window = window;
  }

  @Override
  public String name() {
    return "synthetic";
  }

  @Override
  public void update(Collection<ManagedProcess> now) {
    processes = List.copyOf(now);
  }

  @Override
  public List<RegionSample> collect() {
    return HeatSource.listed(this::collect);
  }

  @Override
  public void collect(Consumer<RegionSample> sink) {
    windows++;
    if (regions == 0 || processes.isEmpty()) {
      return;
    }
    long share = Math.max(1, regions / processes.size());
    for (ManagedProcess p : processes) {
      long bytes = 0;
      for (Vma v : p.vmas()) {
        bytes += v.presentPages() > 0 ? v.range().sizeBytes() : 0;
      }
      for (Vma v : p.vmas()) {
        if (v.presentPages() == 0) {
          continue;
        }
        long pieces = Math.max(1, share * v.range().sizeBytes() / Math.max(1, bytes));
        long pages = v.range().sizeBytes() / 4096;
        pieces = Math.min(pieces, pages);
        long step = pages / pieces * 4096;
        for (long k = 0; k < pieces; k++) {
          long start = v.range().start() + k * step;
          long end = k == pieces - 1 ? v.range().end() : start + step;
          long h = mix(p.pid() * 0x9E3779B97F4A7C15L + start + windows / 10);
          int accessed = (h & 7) == 0 ? (int) (h >>> 59) % (MAX_ACCESSES + 1) : 0;
          sink.accept(
              new RegionSample(
                  p.pid(),
                  new AddressRange(start, end),
                  accessed,
                  MAX_ACCESSES,
                  window,
                  Duration.ofMillis(window.toMillis() * (windows % 50)),
                  name()));
        }
      }
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  @Override
  public void close() {}
}
