package tierd.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrnoTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "1, EPERM",
    "2, ENOENT",
    "3, ESRCH",
    "5, EIO",
    "7, E2BIG",
    "12, ENOMEM",
    "13, EACCES",
    "14, EFAULT",
    "16, EBUSY",
    "19, ENODEV",
    "22, EINVAL",
    "38, ENOSYS",
    "95, OTHER",
    "0, OTHER",
    "-3, OTHER",
    "4096, OTHER",
  })
  void numbersMapToTheLinuxNames(int number, Errno expected) {
    assertThat(Errno.of(number)).isEqualTo(expected);
  }

  @Test
  void statusEntriesAreNegatedErrnos() {
    assertThat(Errno.ofStatus(-16)).isEqualTo(Errno.EBUSY);
    assertThatThrownBy(() -> Errno.ofStatus(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status 2 is a node id, not -errno");
  }

  @Test
  void descriptionsKeepTheNumber() {
    assertThat(Errno.describe(16)).isEqualTo("EBUSY(16)");
    assertThat(Errno.describe(95)).isEqualTo("errno 95");
    assertThat(SyscallResult.failed(95).toString()).isEqualTo("-1 errno 95");
    assertThat(SyscallResult.failed(95).errnoNumber()).isEqualTo(95);
    assertThat(SyscallResult.of(3, 0)).isEqualTo(SyscallResult.ok(3));
    assertThat(SyscallResult.of(-1, 3)).isEqualTo(SyscallResult.failed(Errno.ESRCH));
  }

  @Test
  void aResultIsEitherAValueOrAnErrno() {
    assertThatThrownBy(() -> new SyscallResult(-1, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a failed call (-1) needs a positive errno");
    assertThatThrownBy(() -> new SyscallResult(0, Errno.EIO, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a successful call (0) has no errno");
    assertThatThrownBy(() -> SyscallResult.failed(Errno.OTHER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("use failed(int) for an unlisted errno");
  }
}
