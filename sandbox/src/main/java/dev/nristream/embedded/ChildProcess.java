package dev.nristream.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server that runs as a child process of this JVM (the registry, the Kafka broker): its output is appended to a
 * log file, never the console, so a failed start can show the log's tail; {@link #close()} stops it and its
 * descendants, and a shutdown hook does the same should this JVM end first. Stopping asks politely (SIGTERM, so
 * the server shuts down cleanly), waits up to the grace period, then kills.
 */
final class ChildProcess implements AutoCloseable {

    private static final int LOG_TAIL_LINES = 40;
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path log;
    private final Duration grace;
    private final Runnable afterStop;
    private final Thread shutdownHook;
    private boolean closed;

    private ChildProcess(String name, Process process, Path log, Duration grace, Runnable afterStop) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.grace = grace;
        this.afterStop = afterStop;
        this.shutdownHook = new Thread(this::close, "nri-stop-" + name.replace(' ', '-'));
    }

    /**
     * Launches {@code command} in {@code workDir} with {@code env} added to this JVM's environment, its output
     * appended to {@code log}; {@code afterStop} runs once the process has ended (e.g. deletes its data).
     *
     * @throws IllegalStateException when the process cannot be launched, naming the command
     */
    static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> env, Path log,
            Duration grace, Runnable afterStop) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process process;
        try {
            appendLine(log, "==== nri-stream: starting " + name + ": " + String.join(" ", command));
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot launch " + name + " with " + command.get(0) + ": " + e, e);
        }
        ChildProcess child = new ChildProcess(name, process, log, grace, afterStop);
        Runtime.getRuntime().addShutdownHook(child.shutdownHook);
        return child;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Exit code; only once the process has ended. */
    int exitValue() {
        return process.exitValue();
    }

    Path log() {
        return log;
    }

    /** The last lines of the log. */
    String tail() {
        return tail(log);
    }

    /** True when the log's tail says a port was taken: a lost race for a free port, worth another attempt. */
    static boolean portTaken(String tail) {
        return tail.contains("Address already in use") || tail.contains("Port already bound");
    }

    /**
     * Kills the process and its descendants at once (SIGKILL: no shutdown hooks, no flush, as a crash or the OOM
     * killer would), waits for the end, then runs the after-stop action. Idempotent with {@link #close()}.
     */
    synchronized void kill() {
        if (!markClosed()) {
            return;
        }
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        appendQuietly("==== nri-stream: " + name + " killed (SIGKILL)");
        afterStop.run();
    }

    private boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook runs anyway and finds this one closed.
            }
        }
        return true;
    }

    /** Stops the process and its descendants, then runs the after-stop action. Idempotent. */
    @Override
    public synchronized void close() {
        if (!markClosed()) {
            return;
        }
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                appendQuietly("==== nri-stream: " + name + " did not stop within " + grace.toSeconds() + " s: killed");
                process.destroyForcibly();
                process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        afterStop.run();
    }

    static void appendLine(Path log, String line) throws IOException {
        Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void appendQuietly(String line) {
        try {
            appendLine(log, line);
        } catch (IOException ignored) {
            // The log is a courtesy; stopping goes on.
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** A start that failed because a port picked as free was taken meanwhile: worth another attempt. */
    static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String name, String tail) {
            super(name + " could not bind its port:\n" + tail);
        }
    }
}
