package io.codelabs;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Logs to standard error at {@code CODELABS_LOG_LEVEL} (INFO by default), the chatty libraries at WARN. Configured
 * in code because Logback's XML configuration loads about 450 classes (its configuration model and an XML parser)
 * that a node would keep for its whole life. A {@code -Dlogback.configurationFile} of the operator's still wins.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  /** An environment variable, or a system property as Logback's own configuration files would also take. */
  private static final String LEVEL = "CODELABS_LOG_LEVEL";
  private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
  /**
   * Micrometer's registry at ERROR: Vert.x registers its event-bus handler gauge once per address under one name
   * (addresses carry ids, so they are no label here) and shares one counter between them, which Micrometer reports
   * with a warning on every start.
   */
  private static final Map<String, Level> QUIETER = Map.of("com.hazelcast", Level.WARN, "org.flywaydb", Level.WARN,
    "io.netty", Level.WARN, "org.apache.ratis", Level.WARN, "io.micrometer.core.instrument.MeterRegistry", Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty(LEVEL, System.getenv(LEVEL)), Level.INFO));
    root.addAppender(stderr);
    QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
