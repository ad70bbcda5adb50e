package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tierd.CapturedLog;
import tierd.daemon.Notifier;

/** The daemon's notifier on systemd's socket: a failed send never reaches the loop. */
class SystemdNotifierTest {

  @RegisterExtension final CapturedLog logged = new CapturedLog(SystemdNotifier.class);

  @Test
  void aSocketNobodyListensOnIsWarnedAboutOnceAndNeverThrows(@TempDir Path dir) {
    String socket = dir.resolve("no-such-notify-socket").toString();
    Notifier notifier = SystemdNotifier.onSocket(socket);

    notifier.ready();
    notifier.status("cycle 1: 0 processes");
    notifier.watchdog();
    notifier.stopping();

    assertThat(logged.at(Level.WARN))
        .singleElement()
        .asString()
        .startsWith("cannot notify the service manager at " + socket + ": ");
  }
}
