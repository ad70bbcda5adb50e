package tierd.heat;

/**
 * A heat source cannot run here, for a reason the operator should read, e.g. {@code DAMON busy
 * (foreign kdamond 0 running paddr/pageout)}. The source chooser catches it and tries the next
 * source in the preference order; the message becomes part of its one-line explanation.
 */
public final class HeatSourceUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final SourceKind kind;

  public HeatSourceUnavailableException(SourceKind kind, String reason) {
    this(kind, reason, null);
  }

  public HeatSourceUnavailableException(SourceKind kind, String reason, Throwable cause) {
    super(reason, cause);
    this.kind = kind;
  }

  public SourceKind kind() {
    return kind;
  }

  /** The reason alone, without the kind. */
  public String reason() {
    return getMessage();
  }
}
