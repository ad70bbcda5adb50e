package tierd.source.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tierd.Fixtures;
import tierd.kernelfs.KernelFsException;

/** {@code /proc/PID/task/TID/stat}: utime, stime and the CPU the thread last ran on. */
class TaskStatTest {

  /** The workload of the 3-node VM fixture: its main thread's stat is the process's stat. */
  static final String WORKLOAD = Fixtures.text("fixtures/vm-3node/proc/4242/stat");

  @Test
  void readsTheCpuTimeAndTheLastCpuOfTheVmWorkload() {
    TaskStat task = TaskStat.parse(WORKLOAD);
    assertThat(task).isEqualTo(new TaskStat(4242, 633, 153, 1));
    assertThat(task.cpuTicks()).isEqualTo(786);
  }

  @Test
  void countsFieldsFromTheLastParenthesisOfTheComm() {
    String odd = WORKLOAD.replace("(tierd-workload)", "(a) b (c) 9 9)");
    assertThat(TaskStat.parse(odd)).isEqualTo(new TaskStat(4242, 633, 153, 1));
  }

  @Test
  void aTruncatedLineNamesTheMissingField() {
    String truncated = WORKLOAD.substring(0, WORKLOAD.indexOf(" 17 1 0 0"));
    assertThatThrownBy(() -> TaskStat.parse(truncated))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("39 fields (processor)");
  }

  @Test
  void aNegativeUtimeIsMalformedAndNamesTheField() {
    assertThatThrownBy(() -> TaskStat.parse(WORKLOAD.replace(" 633 153 ", " -633 153 ")))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("utime");
  }

  @Test
  void readNamesTheFileWhenTheThreadIsGone() {
    assertThatThrownBy(() -> TaskStat.read(Fixtures.root("vm-3node"), 4242, 999))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("task/999/stat");
  }
}
