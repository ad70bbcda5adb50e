package tierd.heat.damon;

import java.util.Optional;
import tierd.kernelfs.KernelFsException;
import tierd.model.AddressRange;

/**
 * One {@code damon:damon_aggregated} event as {@code trace_pipe} prints it: a region of one target
 * at the end of an aggregation interval, with the kernel's timestamp. The event's print format on
 * 6.x ({@code include/trace/events/damon.h}) is {@code "target_id=%lu nr_regions=%u %lu-%lu: %u
 * %u"}: the target's index in its context, the target's region count, the region, {@code
 * nr_accesses} and {@code age}. A line reads, with the trace clock {@code mono}:
 *
 * <pre>
 *        kdamond.0-186     [000] .....     9.195509: damon_aggregated: target_id=0 nr_regions=11 140457122930688-140457132126208: 3 1
 * </pre>
 *
 * Kernels before 5.16 printed no {@code age}; it reads 0 then.
 *
 * @param monoNanos the event's timestamp in nanoseconds of the trace clock (CLOCK_MONOTONIC with
 *     {@code mono}, the clock of {@link System#nanoTime()})
 * @param targetIndex the target's index in the kdamond's context
 * @param targetRegions how many regions the target has in this aggregation
 */
record AggregatedEvent(long monoNanos, int targetIndex, int targetRegions, TriedRegion region) {

  private static final String MARK = ": damon_aggregated: ";

  /**
   * The event on {@code line}, empty for a line of another kind (a trace marker, the ring buffer's
   * {@code CPU:N [LOST M EVENTS]}); {@code addrUnit} multiplies the region's bounds as in {@code
   * tried_regions}.
   *
   * @throws KernelFsException if the line is a damon_aggregated event in an unknown format
   */
  static Optional<AggregatedEvent> parse(String line, long addrUnit) {
    int mark = line.indexOf(MARK);
    if (mark < 0) {
      return Optional.empty();
    }
    String[] fields = line.substring(mark + MARK.length()).trim().split("\\s+");
    int stampStart = line.lastIndexOf(' ', mark - 1) + 1;
    if (fields.length < 4 || fields.length > 5 || !fields[2].endsWith(":")) {
      throw KernelFsException.malformed(1, line.strip(), "not a damon_aggregated event");
    }
    long stamp = parseStamp(line.substring(stampStart, mark), line);
    int target = (int) field(fields[0], "target_id=", line);
    int regions = (int) field(fields[1], "nr_regions=", line);
    String range = fields[2].substring(0, fields[2].length() - 1);
    int dash = range.indexOf('-');
    if (dash < 0) {
      throw KernelFsException.malformed(1, line.strip(), "region without '-'");
    }
    TriedRegion region =
        TriedRegion.parse(
            range.substring(0, dash),
            range.substring(dash + 1),
            fields[3],
            fields.length == 5 ? fields[4] : "0",
            addrUnit);
    return Optional.of(new AggregatedEvent(stamp, target, regions, region));
  }

  /** {@code seconds.micros} (any number of fraction digits) to nanoseconds. */
  private static long parseStamp(String stamp, String line) {
    int dot = stamp.indexOf('.');
    try {
      if (dot < 0) {
        return Math.multiplyExact(Long.parseLong(stamp), 1_000_000_000L);
      }
      String fraction = (stamp.substring(dot + 1) + "000000000").substring(0, 9);
      return Math.addExact(
          Math.multiplyExact(Long.parseLong(stamp.substring(0, dot)), 1_000_000_000L),
          Long.parseLong(fraction));
    } catch (NumberFormatException | ArithmeticException e) {
      throw KernelFsException.malformed(1, line.strip(), "bad timestamp '" + stamp + "'");
    }
  }

  private static long field(String token, String key, String line) {
    if (!token.startsWith(key)) {
      throw KernelFsException.malformed(1, line.strip(), "expected " + key);
    }
    try {
      long value = Long.parseLong(token.substring(key.length()));
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw KernelFsException.malformed(1, line.strip(), "bad " + key + " '" + token + "'");
    }
  }

  AddressRange range() {
    return region.range();
  }
}
