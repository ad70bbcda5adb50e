package tierd.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.CpuList;
import tierd.model.NodeSet;

/** Which node a process's threads ran on most, from CPU time per node and the allowed CPUs. */
class ProcessCpusTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "all time on node 1",
            Map.of(1, 500L),
            NodeSet.of(0, 1),
            Optional.of(new ProcessCpus.Accessor(1, CpuList.of(1), 1.0))),
        Arguments.of(
            "threads span sockets: the node with most of the time",
            Map.of(0, 100L, 1, 300L),
            NodeSet.of(0, 1),
            Optional.of(new ProcessCpus.Accessor(1, CpuList.of(1), 0.75))),
        Arguments.of(
            "an even split is no answer: static topology decides",
            Map.of(0, 200L, 1, 200L),
            NodeSet.of(0, 1),
            Optional.empty()),
        Arguments.of(
            "no time seen, allowed CPUs on one node: that node",
            Map.of(),
            NodeSet.of(0),
            Optional.of(new ProcessCpus.Accessor(0, CpuList.of(0), 1.0))),
        Arguments.of(
            "no time seen, allowed CPUs on two nodes: unknown",
            Map.of(),
            NodeSet.of(0, 1),
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void accessor(
      String name,
      Map<Integer, Long> ticksByNode,
      NodeSet allowedCpuNodes,
      Optional<ProcessCpus.Accessor> expected) {
    CpuList allowed =
        allowedCpuNodes.size() == 1 ? CpuList.of(allowedCpuNodes.first()) : CpuList.of(0, 1);
    ProcessCpus cpus =
        new ProcessCpus(
            42,
            7,
            allowed,
            allowedCpuNodes,
            ticksByNode,
            Map.of(0, CpuList.of(0), 1, CpuList.of(1)));
    assertThat(cpus.accessor()).isEqualTo(expected);
  }
}
