package tierd.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.nativeio.SdNotify;

/**
 * The service manager's notification channel (sd_notify(3)): READY=1 once serving, STATUS= after
 * each cycle, WATCHDOG=1 from the loop (so a stuck loop is restarted by systemd), STOPPING=1 on the
 * way out. Without {@code $NOTIFY_SOCKET} it does nothing.
 */
public interface Notifier {

  void notify(String message);

  default void ready() {
    notify("READY=1");
  }

  default void status(String text) {
    notify("STATUS=" + text.replace('\n', ' '));
  }

  default void watchdog() {
    notify("WATCHDOG=1");
  }

  default void stopping() {
    notify("STOPPING=1");
  }

  default void reloading() {
    notify("RELOADING=1");
  }

  Notifier NONE = message -> {};

  /** The notifier for {@code $NOTIFY_SOCKET}, or {@link #NONE}. */
  static Notifier fromEnvironment() {
    String socket = System.getenv("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return NONE;
    }
    return systemd(socket);
  }

  /** A notifier that sends to {@code socket}; a failed send is logged once, never thrown. */
  static Notifier systemd(String socket) {
    Logger log = LoggerFactory.getLogger(Notifier.class);
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
