package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Logging configured in code")
class ConsoleLoggingTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @Test
  @DisplayName("everything goes to standard error at CODELABS_LOG_LEVEL, INFO by default")
  void rootToStandardError() {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class,
      appender -> assertThat(appender.getTarget()).isEqualTo("System.err"));
    String level = System.getProperty("CODELABS_LOG_LEVEL", System.getenv("CODELABS_LOG_LEVEL"));
    assertThat(root.getLevel()).isEqualTo(Level.toLevel(level, Level.INFO));
  }

  @Test
  @DisplayName("the chatty libraries log warnings and errors only")
  void librariesQuieter() {
    assertThat(context.getLogger("com.hazelcast.cluster").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.apache.ratis.server").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.flywaydb.core").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  @DisplayName("no XML configuration was read")
  void noXml() {
    assertThat(context.getObject(CoreConstants.SAFE_JORAN_CONFIGURATION)).isNull();
  }
}
