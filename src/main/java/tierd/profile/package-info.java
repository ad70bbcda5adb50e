/**
 * Profile: how much of the managed processes' memory is hot, warm and cold, how long it has been
 * idle, and how big a fast tier its accesses would need. Pure: scored regions and processes in,
 * figures out; no I/O, no clock (a window's time is an input). It runs on every host, with one
 * memory tier or several, after scoring.
 *
 * <p>Vocabulary and units:
 *
 * <ul>
 *   <li><em>resident bytes</em> of a region: the present pages of the VMAs it overlaps, pro rata of
 *       the share of each VMA it covers (numa_maps counts pages per VMA, not per address). Every
 *       figure here is in resident bytes, never in address-space bytes;
 *   <li><em>accesses</em> of a region: its heat (the decayed access fraction, see {@code
 *       tierd.scoring}) times its resident bytes, i.e. how many of its bytes a check finds
 *       accessed, averaged over the recent past (the scoring half-life). Only ratios of accesses
 *       are reported;
 *   <li><em>sizing curve</em>: regions ranked by heat (accesses per byte), hottest first; for a
 *       fast tier of X bytes holding the hottest X bytes, the share of the accesses it serves
 *       (linear inside a region) and the bytes below it ({@link tierd.profile.SizingCurve});
 *   <li><em>hot set of a window</em>: the smallest fast tier that serves {@link
 *       tierd.profile.SizingCurve#HOT_SET_SHARE 95 %} of the accesses seen in that window;
 *   <li><em>hot set (p95 over D)</em>: the 95th percentile (nearest rank) of the windows' hot sets
 *       over the last D, among the windows in which any access was seen: a fast tier of that size
 *       would have served 95 % of the accesses in 95 % of those windows ({@link
 *       tierd.profile.ProfileHistory#hotSet});
 *   <li><em>idle age</em> of a byte: how long its region has stayed at or below the cold threshold
 *       (zero when it was accessed above it in the last window). Percentiles are per resident byte,
 *       nearest rank ({@link tierd.profile.ByteQuantiles}); an idle age can exceed the time tierd
 *       has watched only by what the heat source knew when it started (DAMON's region age).
 * </ul>
 */
package tierd.profile;
