package tierd.config;

/**
 * A configuration error. The message names the file, the line when known, the key (as a dotted
 * path) and what is allowed, e.g. {@code tierd.yaml:12: planner.maxFill: 120% is outside [0%,
 * 100%]}.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String file, int line, String key, String message) {
    super(format(file, line, key, message));
    this.key = key;
  }

  public String key() {
    return key;
  }

  private static String format(String file, int line, String key, String message) {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file);
      if (line > 0) {
        sb.append(':').append(line);
      }
      sb.append(": ");
    }
    if (key != null && !key.isEmpty()) {
      sb.append(key).append(": ");
    }
    return sb.append(message).toString();
  }
}
