package dev.nristream.replay;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr: frames sent and the current rate in frames/s. On a terminal the line is redrawn in
 * place every second; otherwise (a log file, a pipe) a new line is printed every {@code quietIntervalMs}.
 */
public final class ProgressLine {

    private final PrintStream out;
    private final boolean interactive;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long lastNanos;
    private long lastFrames;
    private long startNanos;
    private boolean drawn;

    /**
     * @param out where to print (stderr)
     * @param interactive redraw in place with carriage returns
     * @param intervalMs how often to print
     */
    public ProgressLine(PrintStream out, boolean interactive, long intervalMs) {
        this(out, interactive, intervalMs, System::nanoTime);
    }

    ProgressLine(PrintStream out, boolean interactive, long intervalMs, LongSupplier nanoClock) {
        this.out = out;
        this.interactive = interactive;
        this.intervalNanos = intervalMs * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** Redraws in place each second on a terminal, a line every 10 s elsewhere. */
    public static ProgressLine forStderr() {
        boolean tty = System.console() != null;
        return new ProgressLine(System.err, tty, tty ? 1000 : 10_000);
    }

    /** No output (tests, benchmarks). */
    public static ProgressLine none() {
        return new ProgressLine(null, false, Long.MAX_VALUE / 2_000_000L);
    }

    void start() {
        startNanos = nanoClock.getAsLong();
        lastNanos = startNanos;
    }

    /** Returns true when a line was printed (the replay then flushes buffered output). */
    boolean update(long frames, java.util.function.LongSupplier problems) {
        long now = nanoClock.getAsLong();
        if (out == null || now - lastNanos < intervalNanos) {
            return false;
        }
        double rate = (frames - lastFrames) * 1e9 / (now - lastNanos);
        lastNanos = now;
        lastFrames = frames;
        String line = String.format(Locale.ROOT, "replay: %,d frames, %,.0f frames/s, %,d problems", frames, rate,
                problems.getAsLong());
        if (interactive) {
            out.print("\r" + line + "   ");
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
        return true;
    }

    /** Ends an in-place line so the summary starts on its own line. */
    void finish() {
        if (out != null && drawn) {
            out.println();
            out.flush();
        }
    }

    long startNanos() {
        return startNanos;
    }
}
