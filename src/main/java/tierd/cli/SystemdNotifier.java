package tierd.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.daemon.Notifier;
import tierd.nativeio.SdNotify;

/** The daemon's {@link Notifier} on the service manager's socket, through sd_notify(3). */
final class SystemdNotifier {

  private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

  private SystemdNotifier() {}

  /** The notifier for {@code $NOTIFY_SOCKET}, or {@link Notifier#NONE} when it is not set. */
  static Notifier fromEnvironment() {
    String socket = System.getenv("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return Notifier.NONE;
    }
    return onSocket(socket);
  }

  /** A notifier that sends to {@code socket}; a failed send is logged once, never thrown. */
  static Notifier onSocket(String socket) {
    boolean[] warned = {false};
    return message -> {
      try {
        SdNotify.send(socket, message);
      } catch (RuntimeException | LinkageError e) {
        if (!warned[0]) {
          warned[0] = true;
          log.warn("cannot notify the service manager at {}: {}", socket, e.getMessage());
        }
      }
    };
  }
}
