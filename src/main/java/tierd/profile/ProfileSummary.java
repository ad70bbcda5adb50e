package tierd.profile;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What the profile says now, for the log, {@code /status}, the metrics and the reports.
 *
 * @param latest the latest window (host, cgroups, processes, sizing points)
 * @param hotSetBytes the hot set (p95) over {@code hotSetSpan}; empty before any access was seen
 * @param hotSetSpan the span of that percentile: {@link ProfileHistory#HOT_SET_SPAN}, or less while
 *     tierd has watched less
 * @param watched from the first window to the latest
 * @param sentence the one-line answer, e.g. "your hot set is 3.1GiB (p95 over 10 min); 11.4GiB has
 *     been idle for over 10 min and could live on slower memory (of 20GiB resident in 40
 *     processes)"
 */
public record ProfileSummary(
    WindowProfile latest,
    OptionalLong hotSetBytes,
    Duration hotSetSpan,
    Duration watched,
    String sentence) {}
