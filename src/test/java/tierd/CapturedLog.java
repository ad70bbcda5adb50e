package tierd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What a logger (and the loggers below it) logs during each test, for assertions on log lines:
 * {@code @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);}.
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public CapturedLog(Class<?> source) {
    this(source.getName());
  }

  /** {@code Logger.ROOT_LOGGER_NAME} captures everything. */
  public CapturedLog(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    logger.addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.detachAppender(appender);
    appender.stop();
  }

  public Logger logger() {
    return logger;
  }

  public List<ILoggingEvent> events() {
    return appender.list;
  }

  /** The formatted messages logged at exactly {@code level}. */
  public List<String> at(Level level) {
    return appender.list.stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** The formatted messages logged at {@code level} or above. */
  public List<String> atLeast(Level level) {
    return appender.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(level))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** The formatted messages that start with {@code prefix}, at any level. */
  public List<String> startingWith(String prefix) {
    return appender.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith(prefix))
        .toList();
  }

  /** True when no event at INFO or above carries a throwable: no stack trace in the log. */
  public boolean noStackTraceAboveDebug() {
    return appender.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .allMatch(e -> e.getThrowableProxy() == null);
  }
}
