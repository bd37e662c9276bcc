package dev.nristream.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Keeps the console for the demo's view: while the demo runs, log lines that would go to the console go to a file
 * instead (the broker, Flink and Kafka Streams log routine warnings, and cancelling a job or closing Kafka Streams
 * at shutdown logs stack traces that say nothing about the user's run). Levels stay as configured.
 * {@link #close()} puts the console back (tests share the JVM). Without log4j-core as the binding it does nothing.
 *
 * <pre>{@code
 * try (QuietLogs logs = QuietLogs.toFile(Path.of("cli/target/demo.log"))) {
 *     ... run ...
 * }
 * }</pre>
 */
final class QuietLogs implements AutoCloseable {

    private static final String APPENDER = "nri-demo-file";

    private final LoggerContext context;
    private final FileAppender file;
    private final List<Removed> removed = new ArrayList<>();
    private boolean closed;

    private record Removed(LoggerConfig logger, Appender appender) {
    }

    private QuietLogs(LoggerContext context, FileAppender file) {
        this.context = context;
        this.file = file;
    }

    /** Moves console logging to {@code logFile} (truncated) until {@link #close()}. */
    static synchronized QuietLogs toFile(Path logFile) {
        Object ctx = LogManager.getContext(false);
        if (!(ctx instanceof LoggerContext lc)) {
            return new QuietLogs(null, null);
        }
        Configuration cfg = lc.getConfiguration();
        FileAppender fa = FileAppender.newBuilder()
                .setName(APPENDER)
                .withFileName(logFile.toAbsolutePath().toString())
                .withAppend(false)
                .withCreateOnDemand(true)
                .setLayout(PatternLayout.newBuilder().withConfiguration(cfg)
                        .withPattern("%d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n").build())
                .setConfiguration(cfg)
                .build();
        fa.start();
        cfg.addAppender(fa);
        QuietLogs q = new QuietLogs(lc, fa);
        List<LoggerConfig> loggers = new ArrayList<>(cfg.getLoggers().values());
        if (!loggers.contains(cfg.getRootLogger())) {
            loggers.add(cfg.getRootLogger());
        }
        for (LoggerConfig l : loggers) {
            boolean hadConsole = false;
            for (Map.Entry<String, Appender> e : Map.copyOf(l.getAppenders()).entrySet()) {
                if (e.getValue() instanceof ConsoleAppender) {
                    l.removeAppender(e.getKey());
                    q.removed.add(new Removed(l, e.getValue()));
                    hadConsole = true;
                }
            }
            if (hadConsole) {
                l.addAppender(fa, null, null);
            }
        }
        lc.updateLoggers();
        return q;
    }

    @Override
    public synchronized void close() {
        if (context == null || closed) {
            return;
        }
        closed = true;
        for (Removed r : removed) {
            r.logger().removeAppender(APPENDER);
            r.logger().addAppender(r.appender(), null, null);
        }
        context.updateLoggers();
        file.stop();
        if (context.getConfiguration() instanceof AbstractConfiguration ac) {
            ac.removeAppender(APPENDER);
        }
    }
}
