package dev.slipway.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.slipway.zk.PrivateFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Where {@code slipway up} logs: every line (INFO and up) to {@value #FILE} under the data
 * directory's {@value #DIRECTORY} folder (rolled at {@value #MAX_FILE_MB} MB, {@value #KEPT_FILES}
 * files kept), and on the console only warnings and errors, unless {@code --verbose} asks for all
 * of it there too. Slipway's own {@code ----->} lines are printed, not logged, and are also copied
 * into the file ({@link #progress}).
 */
final class UpLogging {
    static final String DIRECTORY = "logs";
    static final String FILE = "slipway.log";
    static final int MAX_FILE_MB = 10;
    static final int KEPT_FILES = 5;
    /** The logger of the progress lines: to the file only (they are printed on the console already). */
    static final String PROGRESS = "up";
    private static final String APPENDER = "SLIPWAY_LOG_FILE";

    private UpLogging() {
    }

    /** The log file of the data directory {@code home}. */
    static Path file(Path home) {
        return home.resolve(DIRECTORY).resolve(FILE);
    }

    /**
     * Sends every log line to {@link #file} too; with {@code verbose} false, keeps all but warnings
     * and errors off the console. Returns the file.
     */
    static Path configure(Path home, boolean verbose) {
        PrivateFiles.directory(home);
        Path file = file(home);
        PrivateFiles.directory(file.getParent());
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return file;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER) != null) {
            return file;
        }
        if (!root.isInfoEnabled()) {
            root.setLevel(Level.INFO);
        }
        List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof ConsoleAppender) {
                consoles.add(appender);
            }
        }
        if (!verbose) {
            for (Appender<ILoggingEvent> console : consoles) {
                ThresholdFilter warnings = new ThresholdFilter();
                warnings.setLevel(Level.WARN.levelStr);
                warnings.setContext(context);
                warnings.start();
                console.addFilter(warnings);
            }
        }
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file.getParent().resolve("slipway.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(KEPT_FILES - 1);
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf(MAX_FILE_MB + "MB"));
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
        encoder.start();
        appender.setEncoder(encoder);
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        rolling.start();
        trigger.start();
        appender.start();
        root.addAppender(appender);
        Logger progress = context.getLogger(PROGRESS);
        progress.setAdditive(false);
        progress.setLevel(Level.INFO);
        progress.addAppender(appender);
        return file;
    }

    /** Copies a progress line into the log file. */
    static void progress(String line) {
        LoggerFactory.getLogger(PROGRESS).info(line);
    }
}
