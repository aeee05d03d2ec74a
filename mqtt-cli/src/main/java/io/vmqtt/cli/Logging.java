package io.vmqtt.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.OutputStream;
import java.io.PrintStream;
import org.slf4j.LoggerFactory;

/**
 * Switches the packet trace (the {@code io.vmqtt.trace} logger, one line per packet in hbmqtt's
 * style) on for one command. {@code logback.xml} has it off; {@code -d} turns it on for the error
 * stream, the demo for the output stream. Call it on the main thread before the first client
 * starts; {@link Trace#close()} turns it off again.
 */
final class Logging {
  static final String TRACE_LOGGER = "io.vmqtt.trace";

  private Logging() {}

  /** The trace while it is on. */
  interface Trace extends AutoCloseable {
    @Override
    void close();
  }

  /** Shows every packet on {@code target}, as {@code HH:mm:ss.SSS <client id> -out-> ...}. */
  static Trace packetTrace(PrintStream target) {
    Logger trace = (Logger) LoggerFactory.getLogger(TRACE_LOGGER);
    LoggerContext context = trace.getLoggerContext();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("packet-trace");
    appender.setEncoder(encoder);
    appender.setOutputStream(
        new OutputStream() { // the stream stays open: it is the command's, not the trace's
          @Override
          public void write(int b) {
            target.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            target.write(b, off, len);
          }

          @Override
          public void flush() {
            target.flush();
          }
        });
    appender.setImmediateFlush(true);
    appender.start();
    trace.detachAndStopAllAppenders();
    trace.addAppender(appender);
    trace.setAdditive(false);
    trace.setLevel(Level.DEBUG);
    return () -> {
      trace.setLevel(Level.OFF);
      trace.detachAndStopAllAppenders();
    };
  }

  /** A trace that was never turned on. */
  static Trace off() {
    return () -> {};
  }
}
