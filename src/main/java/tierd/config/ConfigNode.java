package tierd.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tierd.model.DataSize;

/**
 * A section of tierd.yaml with typed, range-checked accessors. Every accessor records the key as
 * used; {@link #finish()} then rejects keys nobody asked for, which are almost always typos. Errors
 * carry the file, the line of the key and its dotted path.
 */
public final class ConfigNode {

  private final String file;
  private final String path;
  private final JsonNode node;
  private final Map<String, Integer> lines;
  private final Set<String> used = new LinkedHashSet<>();
  private final List<ConfigNode> children = new ArrayList<>();

  private ConfigNode(String file, String path, JsonNode node, Map<String, Integer> lines) {
    this.file = file;
    this.path = path;
    this.node = node;
    this.lines = lines;
  }

  /** Parses YAML text; {@code file} is only used in messages. An empty document is {@code {}}. */
  public static ConfigNode parse(String file, String yaml) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = mapper.getFactory().createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          JsonPointer ptr = p.getParsingContext().pathAsPointer();
          lines.put(ptr.toString(), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      throw new ConfigException(
          file, lineOf(e), null, "not valid YAML: " + firstLine(e.getMessage()));
    }
    JsonNode root;
    try {
      root = mapper.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(
          file, lineOf(e), null, "not valid YAML: " + firstLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = mapper.createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(file, 1, null, "the top level must be a mapping of keys");
    }
    return new ConfigNode(file, "", root, lines);
  }

  private static int lineOf(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
        && jpe.getLocation() != null) {
      return jpe.getLocation().getLineNr();
    }
    return 0;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public String file() {
    return file;
  }

  private String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private String pointer(String key) {
    return "/" + String.join("/", keyPath(key).replace("[", ".").replace("]", "").split("\\."));
  }

  /**
   * The line of {@code key}; for a key that is absent, the first line of this section (so that "a
   * class needs a name" points at the class), or 0 when nothing is known.
   */
  private int line(String key) {
    Integer line = lines.get(pointer(key));
    if (line != null || path.isEmpty()) {
      return line == null ? 0 : line;
    }
    String section = pointer("") + "/";
    int first = 0;
    for (Map.Entry<String, Integer> e : lines.entrySet()) {
      if (e.getKey().startsWith(section) && (first == 0 || e.getValue() < first)) {
        first = e.getValue();
      }
    }
    return first;
  }

  /** An error about {@code key} of this section. */
  public ConfigException error(String key, String message) {
    return new ConfigException(file, line(key), keyPath(key), message);
  }

  public boolean has(String key) {
    used.add(key);
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** A nested section; an absent one is empty (all defaults). */
  public ConfigNode section(String key) {
    used.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      v = MissingNode.getInstance();
    } else if (!v.isObject()) {
      throw error(key, "must be a mapping of keys, not " + describe(v));
    }
    ConfigNode child = new ConfigNode(file, keyPath(key), v, lines);
    children.add(child);
    return child;
  }

  /**
   * A list of sections, each named {@code key[i]} in messages; an absent list is empty. A list item
   * that is not a mapping is an error.
   */
  public List<ConfigNode> sections(String key) {
    used.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw error(key, "must be a list of mappings, not " + describe(v));
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String itemKey = key + "[" + i + "]";
      if (!item.isObject()) {
        throw error(itemKey, "must be a mapping of keys, not " + describe(item));
      }
      ConfigNode child = new ConfigNode(file, keyPath(itemKey), item, lines);
      children.add(child);
      out.add(child);
    }
    return out;
  }

  private Optional<String> scalar(String key) {
    used.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw error(key, "must be a single value, not " + describe(v));
    }
    return Optional.of(v.asText());
  }

  private <T> T convert(String key, String text, Function<String, T> f) {
    try {
      return f.apply(text);
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  public String string(String key, String def) {
    return scalar(key).orElse(def);
  }

  public Optional<String> optionalString(String key) {
    return scalar(key).filter(s -> !s.isEmpty());
  }

  public boolean bool(String key, boolean def) {
    Optional<String> s = scalar(key);
    if (s.isEmpty()) {
      return def;
    }
    return switch (s.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error(key, "'" + s.get() + "' is not true or false");
    };
  }

  public long integer(String key, long def, long min, long max) {
    Optional<String> s = scalar(key);
    long v = def;
    if (s.isPresent()) {
      try {
        v = Long.parseLong(s.get().strip());
      } catch (NumberFormatException e) {
        throw error(key, "'" + s.get() + "' is not a whole number");
      }
    }
    if (v < min || v > max) {
      throw error(key, v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  public double number(String key, double def, double min, double max) {
    Optional<String> s = scalar(key);
    double v = def;
    if (s.isPresent()) {
      try {
        v = Double.parseDouble(s.get().strip());
      } catch (NumberFormatException e) {
        throw error(key, "'" + s.get() + "' is not a number");
      }
    }
    if (!(v >= min && v <= max)) {
      throw error(key, v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  public Duration duration(String key, Duration def, Duration min, Duration max) {
    Duration v = scalar(key).map(s -> convert(key, s, Units::duration)).orElse(def);
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      throw error(
          key,
          Units.formatDuration(v)
              + " is outside ["
              + Units.formatDuration(min)
              + ", "
              + Units.formatDuration(max)
              + "]");
    }
    return v;
  }

  public DataSize size(String key, DataSize def, DataSize min, DataSize max) {
    DataSize v = scalar(key).map(s -> convert(key, s, Units::size)).orElse(def);
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      throw error(key, v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  /** Bytes per second. */
  public long rate(String key, long def, long min, long max) {
    long v = scalar(key).map(s -> convert(key, s, Units::rate)).orElse(def);
    if (v < min || v > max) {
      throw error(
          key,
          DataSize.human(v)
              + "/s is outside ["
              + DataSize.human(min)
              + "/s, "
              + DataSize.human(max)
              + "/s]");
    }
    return v;
  }

  /** A fraction from a percentage. */
  public double percent(String key, double def, double min, double max) {
    double v = scalar(key).map(s -> convert(key, s, Units::percent)).orElse(def);
    if (!(v >= min && v <= max)) {
      throw error(
          key,
          Units.formatPercent(v)
              + " is outside ["
              + Units.formatPercent(min)
              + ", "
              + Units.formatPercent(max)
              + "]");
    }
    return v;
  }

  public Optional<Pattern> regex(String key) {
    return optionalString(key)
        .map(
            s -> {
              try {
                return Pattern.compile(s);
              } catch (PatternSyntaxException e) {
                throw error(key, "bad regular expression: " + e.getDescription());
              }
            });
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
    Optional<String> s = scalar(key);
    if (s.isEmpty()) {
      return def;
    }
    String want = s.get().strip().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(want)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw error(key, "'" + s.get() + "' is not one of " + allowed);
  }

  /** A list of scalars; a single scalar counts as a one-element list. */
  public List<String> strings(String key) {
    used.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (v.isValueNode()) {
      return List.of(v.asText());
    }
    if (!v.isArray()) {
      throw error(key, "must be a list, not " + describe(v));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isValueNode()) {
        throw error(key, "list elements must be single values");
      }
      out.add(e.asText());
    }
    return out;
  }

  /** Keys present in this section (for map-like sections keyed by node id). */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  /** Rejects keys that no accessor asked for, here and in every section taken from here. */
  public void finish() {
    for (String k : keys()) {
      if (!used.contains(k)) {
        throw error(k, "unknown key" + KeySuggestion.of(k, used));
      }
    }
    for (ConfigNode c : children) {
      c.finish();
    }
  }

  private static String describe(JsonNode v) {
    JsonNodeType t = v.getNodeType();
    return switch (t) {
      case ARRAY -> "a list";
      case OBJECT -> "a mapping";
      default -> "'" + v.asText() + "'";
    };
  }
}
