package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.daemon.StageRunner.StageFailure;
import tierd.kernelfs.KernelFsException;

/** The failure boundary of a cycle: what becomes a stage failure, what goes through, the timing. */
class StageRunnerTest {

  /** What the recorder was told, one line per stage run. */
  private final List<String> recorded = new ArrayList<>();

  /** A clock that advances 5 ms per reading. */
  private long nanos;

  private StageRunner runner(java.util.function.Consumer<String> beforeEach) {
    return new StageRunner(
        (name, took, ok) ->
            recorded.add(name + " " + took.toMillis() + "ms " + (ok ? "ok" : "failed")),
        () -> nanos += 5_000_000,
        beforeEach);
  }

  private StageRunner runner() {
    return runner(stage -> {});
  }

  @Test
  void aStageReturnsItsValueAndIsTimedAndRecorded() {
    StageRunner stages = runner();
    assertThat(stages.call("plan", () -> 42)).isEqualTo(42);
    stages.run("move", () -> {});
    assertThat(recorded).containsExactly("plan 5ms ok", "move 5ms ok");
    assertThat(stages.durations())
        .containsExactly(
            Map.entry("plan", Duration.ofMillis(5)), Map.entry("move", Duration.ofMillis(5)));
  }

  @Test
  void aStageThatRunsTwiceAddsUpInTheOrderItFirstRan() {
    StageRunner stages = runner();
    stages.run("publish", () -> {});
    stages.run("move", () -> {});
    stages.run("publish", () -> {});
    assertThat(stages.durations().keySet()).containsExactly("publish", "move");
    assertThat(stages.durations().get("publish")).isEqualTo(Duration.ofMillis(10));
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            "a bug", new ArithmeticException("/ by zero"), false, "ArithmeticException: / by zero"),
        Arguments.of(
            "a kernel file",
            KernelFsException.malformed(3, "N9=x", "bad page count"),
            false,
            "<text>:3: malformed at token 'N9=x': bad page count"),
        Arguments.of(
            "JNA cannot load libc",
            new UnsatisfiedLinkError("Unable to load library 'c'"),
            true,
            "UnsatisfiedLinkError: Unable to load library 'c'"),
        Arguments.of(
            "a class missing from the jar",
            new NoClassDefFoundError("com/sun/jna/Native"),
            true,
            "NoClassDefFoundError: com/sun/jna/Native"),
        Arguments.of(
            "an assertion",
            new AssertionError("unreachable"),
            false,
            "AssertionError: unreachable"),
        Arguments.of("no message", new IllegalStateException(), false, "IllegalStateException"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void anythingButAJvmErrorBecomesAFailureOfTheNamedStage(
      String name, Throwable thrown, boolean linkage, String reason) {
    StageRunner stages = runner();
    assertThatThrownBy(
            () ->
                stages.call(
                    "placement",
                    () -> {
                      throw sneaky(thrown);
                    }))
        .isInstanceOfSatisfying(
            StageFailure.class,
            f -> {
              assertThat(f.stage()).isEqualTo("placement");
              assertThat(f.getCause()).isSameAs(thrown);
              assertThat(f.linkage()).isEqualTo(linkage);
              assertThat(f.cancelled()).isFalse();
              assertThat(f.reason()).isEqualTo(reason);
              assertThat(f.getMessage()).isEqualTo("placement: " + reason);
            });
    assertThat(recorded).containsExactly("placement 5ms failed");
  }

  static Stream<Arguments> jvmErrors() {
    return Stream.of(
        Arguments.of("out of memory", new OutOfMemoryError("Java heap space")),
        Arguments.of("stack overflow", new StackOverflowError()),
        Arguments.of("JVM internal error", new InternalError("oops")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jvmErrors")
  void aVirtualMachineErrorGoesThroughUnchanged(String name, VirtualMachineError thrown) {
    StageRunner stages = runner();
    assertThatThrownBy(
            () ->
                stages.run(
                    "score",
                    () -> {
                      throw thrown;
                    }))
        .isSameAs(thrown);
    assertThat(StageRunner.isFatal(thrown)).isTrue();
    assertThat(recorded).containsExactly("score 5ms failed");
  }

  static final class Stop extends StageRunner.Cancellation {
    private static final long serialVersionUID = 1L;

    Stop() {
      super("stop requested after 3 of 9 pages");
    }
  }

  @Test
  void aCancellationEndsTheCycleButIsNoFailureOfTheStage() {
    StageRunner stages = runner();
    assertThatThrownBy(
            () ->
                stages.run(
                    "move",
                    () -> {
                      throw new Stop();
                    }))
        .isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.cancelled()).isTrue());
    assertThat(recorded).containsExactly("move 5ms ok");
  }

  @Test
  void theHookBeforeEachStageRunsInsideItsBoundary() {
    List<String> seen = new ArrayList<>();
    StageRunner stages =
        runner(
            stage -> {
              seen.add(stage);
              if (stage.equals("heat")) {
                throw new IllegalStateException("injected");
              }
            });
    stages.run("topology", () -> {});
    assertThatThrownBy(() -> stages.run("heat", () -> seen.add("heat body")))
        .isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.stage()).isEqualTo("heat"));
    assertThat(seen).containsExactly("topology", "heat");
    assertThat(recorded).containsExactly("topology 5ms ok", "heat 5ms failed");
  }

  @Test
  void noJvmErrorIsFatalButTheJvmsOwn() {
    assertThat(StageRunner.isFatal(new UnsatisfiedLinkError())).isFalse();
    assertThat(StageRunner.isFatal(new RuntimeException())).isFalse();
    assertThat(StageRunner.isFatal(new OutOfMemoryError())).isTrue();
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
