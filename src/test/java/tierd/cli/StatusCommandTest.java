package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import tierd.heat.SourceKind;

/** How {@code tierd status} renders the daemon's /status JSON. */
class StatusCommandTest {

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
