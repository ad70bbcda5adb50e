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
  void textIsKeptOnlyWhenTheFingerprintDiffersFromTheLastOne() throws IOException {
    Path f = file("numa_maps", "7f00 default anon=1 N0=1\n");
    KernelFiles.Content first = KernelFiles.readIfChanged(f, null);
    assertThat(first.hasText()).isTrue();
    KernelFiles.Content same = KernelFiles.readIfChanged(f, first.fingerprint());
    assertThat(same.hasText()).isFalse();
    assertThat(same.fingerprint()).isEqualTo(first.fingerprint());
    assertThatThrownBy(same::text).isInstanceOf(IllegalStateException.class);
    file("numa_maps", "7f00 default anon=1 N1=1\n");
    KernelFiles.Content moved = KernelFiles.readIfChanged(f, first.fingerprint());
    assertThat(moved.hasText()).isTrue();
    assertThat(moved.text()).isEqualTo("7f00 default anon=1 N1=1\n");
  }

  @Test
  void fingerprintsTellEveryEditApartAndMatchForEqualContent() throws IOException {
    Path f = file("maps", "a b c\n");
    KernelFiles.Content first = KernelFiles.readIfChanged(f, null);
    assertThat(first.text()).isEqualTo("a b c\n");
    assertThat(KernelFiles.readIfChanged(f, null).fingerprint()).isEqualTo(first.fingerprint());
    // Same length with one byte different, a prefix, a longer file, an empty one.
    for (String other : new String[] {"a b d\n", "a b", "a b c\nd\n", ""}) {
      file("maps", other);
      KernelFiles.Content c = KernelFiles.readIfChanged(f, null);
      assertThat(c.text()).isEqualTo(other);
      assertThat(c.fingerprint()).isNotEqualTo(first.fingerprint());
    }
    // Beyond the per-thread buffer, and seeded random edits of one byte anywhere in it.
    byte[] big = text(300 << 10, 'q').getBytes(StandardCharsets.UTF_8);
    Files.write(f, big);
    KernelFiles.Fingerprint bigPrint = KernelFiles.readIfChanged(f, null).fingerprint();
    assertThat(bigPrint.length()).isEqualTo(300 << 10);
    java.util.Random rnd = new java.util.Random(11);
    for (int i = 0; i < 50; i++) {
      byte[] edited = big.clone();
      edited[rnd.nextInt(edited.length)] = (byte) ('a' + rnd.nextInt(16));
      Files.write(f, edited);
      assertThat(KernelFiles.readIfChanged(f, null).fingerprint()).isNotEqualTo(bigPrint);
    }
    assertThatThrownBy(() -> KernelFiles.readIfChanged(dir.resolve("gone"), null))
        .isInstanceOfSatisfying(
            KernelFsException.class,
            e -> assertThat(e.kind()).isEqualTo(KernelFsException.Kind.ABSENT));
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

  @Test
  void listGivesSortedNamesAndClassifiesAMissingDirectoryOrAFile(@TempDir Path tmp)
      throws IOException {
    for (String n : new String[] {"20", "3", "self", "100"}) {
      Files.createDirectory(tmp.resolve(n));
    }
    assertThat(KernelFiles.list(tmp)).containsExactly("100", "20", "3", "self");
    assertThatThrownBy(() -> KernelFiles.list(tmp.resolve("gone")))
        .isInstanceOfSatisfying(
            KernelFsException.class,
            e -> assertThat(e.kind()).isEqualTo(KernelFsException.Kind.ABSENT))
        .hasMessageContaining("gone");
    Path file = Files.writeString(tmp.resolve("plain"), "x");
    assertThatThrownBy(() -> KernelFiles.list(file))
        .isInstanceOfSatisfying(
            KernelFsException.class,
            e -> assertThat(e.kind()).isEqualTo(KernelFsException.Kind.ABSENT));
  }
}
