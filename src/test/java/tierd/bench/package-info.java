/**
 * JMH benchmarks, run with {@code bench/jmh.sh <Benchmark> [JMH options]} (see BENCHMARKS.md for
 * the figures). {@link tierd.bench.PlanningBench} scores and plans one cycle over a million regions
 * of a large real-shaped world ({@link tierd.bench.BenchWorld}); {@link
 * tierd.bench.NumaMapsParseBench} measures numa_maps parsing in bytes per second. Times are per
 * operation in milliseconds unless a benchmark says otherwise.
 */
package tierd.bench;
