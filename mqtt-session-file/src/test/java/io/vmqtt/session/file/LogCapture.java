package io.vmqtt.session.file;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects what a class logs through SLF4J (logback in the tests), as "LEVEL message" with the
 * arguments filled in; while it is open they are not printed.
 */
final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final boolean additive;
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          messages.add(event.getLevel() + " " + event.getFormattedMessage());
        }
      };

  LogCapture(Class<?> type) {
    logger = (Logger) LoggerFactory.getLogger(type);
    additive = logger.isAdditive();
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.ALL);
    logger.setAdditive(false);
  }

  List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(null);
    logger.setAdditive(additive);
    appender.stop();
  }
}
