package tierd.kernelfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelFilesTest {

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static String text(int bytes, char c) {
    return String.valueOf(c).repeat(bytes);
  }

  @Test
  void readsUpToTheLimitAndRefusesOneByteMore() throws IOException {
    assertThat(KernelFiles.read(file("ok", "12345"), 5)).isEqualTo("12345");
    Path over = file("over", "123456");
    assertThatThrownBy(() -> KernelFiles.read(over, 5))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("larger than 5 bytes");
  }

  @Test
  void readIfChangedReturnsNullOnlyForByteIdenticalContent() throws IOException {
    Path f = file("maps", "a b c\n");
    byte[] first = KernelFiles.readIfChanged(f, null);
    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("a b c\n");
    assertThat(KernelFiles.readIfChanged(f, first)).isNull();
    // Same length, one byte different; then a prefix of the old content; then a longer one.
    file("maps", "a b d\n");
    assertThat(KernelFiles.readIfChanged(f, first)).asString().isEqualTo("a b d\n");
    file("maps", "a b");
    assertThat(KernelFiles.readIfChanged(f, first)).asString().isEqualTo("a b");
    String big = text(300 << 10, 'q');
    file("maps", big);
    byte[] bigBytes = KernelFiles.readIfChanged(f, first);
    assertThat(bigBytes).hasSize(300 << 10);
    assertThat(KernelFiles.readIfChanged(f, bigBytes)).isNull();
    assertThatThrownBy(() -> KernelFiles.readIfChanged(dir.resolve("gone"), first))
        .isInstanceOf(KernelFsException.class)
        .satisfies(
            e ->
                assertThat(((KernelFsException) e).kind())
                    .isEqualTo(KernelFsException.Kind.ABSENT));
  }

  @Test
  void filesBeyondTheFirstBufferGrowItAndLaterReadsSeeOnlyTheirOwnBytes() throws IOException {
    String big = text(200 << 10, 'a') + "end";
    assertThat(KernelFiles.read(file("big", big))).isEqualTo(big);
    // The per-thread buffer now holds the big file's bytes: a small read must not show them.
    assertThat(KernelFiles.read(file("small", "xyz"))).isEqualTo("xyz");
    assertThat(KernelFiles.read(file("empty", ""))).isEmpty();
  }

  @Test
  void aFileLargerThanTheKeptBufferIsReadWholeAndTheLimitStillHolds() throws IOException {
    String huge = text(KernelFiles.SCRATCH_KEEP_BYTES * 2 + 17, 'b');
    assertThat(KernelFiles.read(file("huge", huge))).hasSize(huge.length());
    Path p = file("huge2", huge);
    assertThatThrownBy(() -> KernelFiles.read(p, KernelFiles.SCRATCH_KEEP_BYTES + 3))
        .hasMessageContaining("larger than " + (KernelFiles.SCRATCH_KEEP_BYTES + 3) + " bytes");
    assertThat(KernelFiles.read(file("after", "ok"))).isEqualTo("ok");
  }

  @Test
  void utf8IsDecoded() throws IOException {
    assertThat(KernelFiles.read(file("u", "/tmp/caf\u00e9 x\n"))).isEqualTo("/tmp/caf\u00e9 x\n");
  }
}
