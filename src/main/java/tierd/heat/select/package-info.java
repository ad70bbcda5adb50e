/**
 * Choosing and opening the heat source, and the checks around it: which sources this kernel and
 * these privileges allow ({@link tierd.heat.select.HeatProbes}, {@link
 * tierd.heat.select.SourceChooser}), opening the first that works ({@link
 * tierd.heat.select.HeatSources}), the {@code heat} section of the config ({@link
 * tierd.heat.select.HeatConfig}), and conflicts with other users of the same kernel mechanisms
 * ({@link tierd.heat.select.SourceConflicts}, {@link tierd.heat.select.Conflict}).
 *
 * <p>It sits above {@code tierd.heat} (the interface: {@link tierd.heat.HeatSource}, {@link
 * tierd.heat.RegionSample}, {@link tierd.heat.SourceKind}) and the two families that implement it,
 * {@code tierd.heat.damon} and {@code tierd.heat.accessed}, so that neither of those imports the
 * other nor anything that imports them back.
 */
package tierd.heat.select;
