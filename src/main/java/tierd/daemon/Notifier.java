package tierd.daemon;

/**
 * The service manager's notification channel (sd_notify(3)): READY=1 once serving, STATUS= after
 * each cycle, WATCHDOG=1 from the loop (so a stuck loop is restarted by systemd), STOPPING=1 on the
 * way out. The CLI gives the daemon the systemd one ({@code tierd.cli.SystemdNotifier}), which does
 * nothing without {@code $NOTIFY_SOCKET}.
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
}
