package dev.slipway.framework.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every line Slipway's loggers write, DEBUG included, from {@link #start()} to {@link #stop()}: to look for secrets. */
final class SlipwayLogs {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    void start() {
        lines.start();
        logger().addAppender(lines);
        logger().setLevel(Level.DEBUG);
    }

    /** Stops listening; the lines written meanwhile. */
    List<ILoggingEvent> stop() {
        logger().detachAppender(lines);
        logger().setLevel(null);
        return lines.list;
    }

    private static Logger logger() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.slipway");
    }
}
