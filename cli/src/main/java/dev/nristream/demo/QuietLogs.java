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
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Keeps the console for the demo's view: log lines that would go to the console go to a file instead, from the
 * demo's start until the JVM exits. The broker, Flink and Kafka Streams log routine warnings while running, and
 * cancelling a job, closing Kafka Streams and stopping a broker log stack traces that say nothing about the user's
 * run; Flink's MiniCluster keeps shutting down after its job has ended, so the console is not given back (the command
 * ends right after). Levels stay as configured. Without log4j-core as the binding, or without a console appender
 * (the tests' configuration logs to a file already), it does nothing.
 *
 * <pre>{@code
 * QuietLogs.redirectConsole(Path.of("cli/target/demo.log"));
 * }</pre>
 */
final class QuietLogs {

    static final String APPENDER = "nri-demo-file";

    private QuietLogs() {
    }

    /**
     * Replaces every console appender (and the file of an earlier demo run in this JVM) with {@code logFile},
     * truncated.
     *
     * @return whether anything was redirected
     */
    static synchronized boolean redirectConsole(Path logFile) {
        if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
            return false;
        }
        Configuration cfg = ctx.getConfiguration();
        List<LoggerConfig> loggers = new ArrayList<>(cfg.getLoggers().values());
        if (!loggers.contains(cfg.getRootLogger())) {
            loggers.add(cfg.getRootLogger());
        }
        List<LoggerConfig> targets = new ArrayList<>();
        for (LoggerConfig l : loggers) {
            if (l.getAppenders().values().stream()
                    .anyMatch(a -> a instanceof ConsoleAppender || a.getName().equals(APPENDER))) {
                targets.add(l);
            }
        }
        if (targets.isEmpty()) {
            return false;
        }
        FileAppender file = FileAppender.newBuilder()
                .setName(APPENDER)
                .withFileName(logFile.toAbsolutePath().toString())
                .withAppend(false)
                .setLayout(PatternLayout.newBuilder().withConfiguration(cfg)
                        .withPattern("%d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n").build())
                .setConfiguration(cfg)
                .build();
        file.start();
        Appender previous = cfg.getAppenders().get(APPENDER);
        for (LoggerConfig l : targets) {
            for (Map.Entry<String, Appender> e : Map.copyOf(l.getAppenders()).entrySet()) {
                if (e.getValue() instanceof ConsoleAppender || e.getKey().equals(APPENDER)) {
                    l.removeAppender(e.getKey());
                }
            }
            l.addAppender(file, null, null);
        }
        cfg.getAppenders().put(APPENDER, file);
        ctx.updateLoggers();
        if (previous != null && previous != file) {
            previous.stop();
        }
        return true;
    }
}
