package tierd.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;
import tierd.kernelfs.KernelRoot;
import tierd.model.CpuList;
import tierd.model.NodeSet;

/**
 * Thread placement read from a copy of the 3-node VM fixture (CPU 0 on node 0, CPU 1 on node 1,
 * node 2 CPU-less), with task stat files written for the workload's threads.
 */
class ThreadCpusTest {

  static final int PID = 4242;
  static final Map<Integer, CpuList> CPUS_BY_NODE =
      Map.of(0, CpuList.of(0), 1, CpuList.of(1), 2, CpuList.empty());

  @TempDir Path root;
  String stat;
  ManagedProcess workload;

  @BeforeEach
  void copyTheFixture() throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), root);
    stat = Files.readString(root.resolve("proc/4242/stat"));
    workload =
        new ManagedProcess(
            PID,
            401,
            "tierd-workload",
            0,
            "/",
            NodeSet.of(0, 1, 2),
            Optional.empty(),
            NodeSet.of(0, 1, 2),
            List.of());
  }

  /** Writes thread {@code tid}'s stat: that much user time, last on {@code cpu}. */
  void thread(int tid, long utimeTicks, int cpu) throws IOException {
    String[] head = stat.substring(0, stat.lastIndexOf(')') + 1).split(" ", 2);
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
    fields[14 - 3] = Long.toString(utimeTicks);
    fields[15 - 3] = "0";
    fields[39 - 3] = Integer.toString(cpu);
    Path dir = root.resolve("proc/4242/task/" + tid);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("stat"), tid + " " + head[1] + " " + String.join(" ", fields));
  }

  ProcessCpus read(ThreadCpus reader) {
    return reader.read(List.of(workload), CPUS_BY_NODE).get(PID);
  }

  @Test
  void aThreadFirstSeenCountsItsWholeTimeOnTheNodeOfItsLastCpu() throws IOException {
    thread(4242, 30, 1);
    thread(4243, 10, 0);
    ProcessCpus cpus = read(new ThreadCpus(KernelRoot.under(root)));
    assertThat(cpus.cpuTicksByNode()).isEqualTo(Map.of(0, 10L, 1, 30L));
    assertThat(cpus.cpusAllowed()).isEqualTo(CpuList.of(0, 1));
    assertThat(cpus.allowedCpuNodes()).isEqualTo(NodeSet.of(0, 1));
    assertThat(cpus.accessor()).hasValue(new ProcessCpus.Accessor(1, CpuList.of(1), 0.75));
  }

  @Test
  void laterCyclesWeighByTheTimeRunSinceTheLastCycle() throws IOException {
    ThreadCpus reader = new ThreadCpus(KernelRoot.under(root));
    thread(4242, 1000, 1); // a long-lived thread that ran on node 1 ...
    thread(4243, 10, 0);
    read(reader);
    thread(4242, 1005, 1); // ... is nearly idle now; the other one is busy on node 0
    thread(4243, 110, 0);
    ProcessCpus cpus = read(reader);
    assertThat(cpus.cpuTicksByNode()).isEqualTo(Map.of(0, 100L, 1, 5L));
    assertThat(cpus.accessor().map(ProcessCpus.Accessor::node)).hasValue(0);
  }

  @Test
  void aThreadThatExitedIsSkipped() throws IOException {
    thread(4242, 30, 1);
    Files.createDirectories(root.resolve("proc/4242/task/4250")); // listed, stat gone
    assertThat(read(new ThreadCpus(KernelRoot.under(root))).cpuTicksByNode())
        .isEqualTo(Map.of(1, 30L));
  }

  @Test
  void aProcessThatIsGoneIsLeftOutAndTheOthersAreRead() throws IOException {
    thread(4242, 30, 1);
    ManagedProcess gone =
        new ManagedProcess(
            4300, 9, "gone", 0, "/", NodeSet.of(0), Optional.empty(), NodeSet.of(0), List.of());
    Map<Integer, ProcessCpus> read =
        new ThreadCpus(KernelRoot.under(root)).read(List.of(gone, workload), CPUS_BY_NODE);
    assertThat(read).containsOnlyKeys(PID);
  }

  @Test
  void aMalformedTaskStatLeavesOnlyThatProcessWithoutPlacement() throws IOException {
    thread(4242, 30, 1);
    Files.writeString(root.resolve("proc/4242/task/4242/stat"), "4242 (x) S 1 2");
    assertThat(new ThreadCpus(KernelRoot.under(root)).read(List.of(workload), CPUS_BY_NODE))
        .isEmpty();
  }

  @Test
  void aPinnedIdleProcessIsPlacedByItsAllowedCpus() throws IOException {
    thread(4242, 0, 1);
    Path status = root.resolve("proc/4242/status");
    Files.writeString(
        status,
        Files.readString(status).replace("Cpus_allowed_list:\t0-1", "Cpus_allowed_list:\t1"));
    ProcessCpus cpus = read(new ThreadCpus(KernelRoot.under(root)));
    assertThat(cpus.cpuTicks()).isZero();
    assertThat(cpus.accessor()).hasValue(new ProcessCpus.Accessor(1, CpuList.of(1), 1.0));
  }
}
