package tierd.daemon;

/**
 * tierd cannot start, for a reason the user can fix: its message is one line, {@code <what> (<the
 * fix>)}, which the command line prints after "tierd: " and exits with {@link #exitCode()}. No
 * stack trace: the message says all there is to say.
 */
public final class StartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Exit code for a start that failed on the host's state (an address, a directory): retry. */
  public static final int EXIT_HOST = 1;

  /** Exit code for a wrong command line or config, or another instance: a restart cannot help. */
  public static final int EXIT_USAGE = 2;

  private final int exitCode;

  public StartupException(int exitCode, String what, String fix) {
    super(what + " (" + fix + ")");
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
