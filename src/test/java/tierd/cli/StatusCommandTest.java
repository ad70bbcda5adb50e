package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code tierd status} renders what {@code /status} says, including the heat intervals in force.
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
}
