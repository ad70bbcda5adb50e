package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import tierd.heat.SourceKind;

/**
 * {@code tierd status} renders what {@code /status} says: the heat intervals in force and what the
 * heat source cannot see.
 */
class StatusCommandTest {

  static final String STATUS =
      "{\"version\":\"t\",\"uptimeSeconds\":75,\"intervalMillis\":5000,\"healthy\":true,"
          + "\"lastCycle\":{\"number\":9,\"at\":\"2026-12-06T16:00:00Z\",\"tookMillis\":4100,"
          + "\"ok\":true,\"tiered\":true,\"heatSource\":\"damon-vaddr\",%s"
          + "\"managedProcesses\":1,\"regions\":42,\"hotBytes\":0,\"coldBytes\":0,"
          + "\"hotThreshold\":0.07,\"coldThreshold\":0.02}}";

  static String render(String intervals) throws Exception {
    return StatusCommand.render(new ObjectMapper().readTree(String.format(STATUS, intervals)));
  }

  @Test
  void showsTheTunedSamplingAndAggregationIntervals() throws Exception {
    String out =
        render(
            "\"heatIntervals\":{\"checkMillis\":187.5,\"windowMillis\":3750.0,"
                + "\"tunedBy\":\"tierd\"},");
    assertThat(out)
        .contains(
            "regions 42 via damon-vaddr (sampling 188ms, aggregation 3750ms, tuned by tierd); hot");
  }

  @Test
  void aWindowSourceShowsOneWindowAndAFixedOneSaysSo() throws Exception {
    assertThat(
            render(
                "\"heatIntervals\":{\"checkMillis\":5000.0,\"windowMillis\":5000.0,"
                    + "\"tunedBy\":\"fixed\"},"))
        .contains("via damon-vaddr (window 5000ms, fixed); hot");
  }

  @Test
  void withoutIntervalsNothingIsAdded() throws Exception {
    assertThat(render("")).contains("via damon-vaddr; hot");
  }

  static String status(String heatSource, String description) {
    return "{\"version\":\"1.0\",\"uptimeSeconds\":65,\"intervalMillis\":5000,\"healthy\":true,"
        + "\"dryRun\":false,\"lastCycle\":{\"number\":7,\"at\":\"2025-01-01T00:00:00Z\","
        + "\"tookMillis\":120,\"ok\":true,\"tiered\":true,\"heatSource\":\""
        + heatSource
        + "\",\"heatSourceDescription\":"
        + (description == null ? "null" : new ObjectMapper().valueToTree(description).toString())
        + ",\"managedProcesses\":1,\"regions\":40,\"hotBytes\":33554432,\"coldBytes\":33554432,"
        + "\"hotThreshold\":0.4,\"coldThreshold\":0.02,\"plannedMoves\":0,\"promoteBytes\":0,"
        + "\"demoteBytes\":0,\"movedBytes\":0}}";
  }

  @Test
  void saysWhatTheHeatSourceCannotSee() throws Exception {
    SourceKind k = SourceKind.CLEAR_REFS_SOFT_DIRTY;
    String out =
        StatusCommand.render(new ObjectMapper().readTree(status(k.label(), k.description())));
    assertThat(out)
        .contains("via clear-refs+soft-dirty;")
        .contains(
            "  clear-refs+soft-dirty: writes of every page (soft-dirty), reported per heat.chunk,"
                + " and reads per VMA (smaps Referenced); cannot see where read-only hot pages lie"
                + " inside a VMA: their reads are spread evenly over the VMA's unwritten pages\n");
  }

  @Test
  void anUnknownSourceHasNoDescriptionLine() throws Exception {
    String out = StatusCommand.render(new ObjectMapper().readTree(status("none", null)));
    assertThat(out).contains("via none;").doesNotContain("  none:");
  }
}
