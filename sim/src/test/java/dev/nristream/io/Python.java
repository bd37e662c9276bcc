package dev.nristream.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs python3 scripts for the parity tests that compare with numpy and scipy. */
public final class Python {
    private static Boolean numpy;

    private Python() {
    }

    /** Exit code and combined output of a script. */
    public record Result(int exitCode, String output) {
    }

    /** Whether python3 with numpy can be run here. */
    public static synchronized boolean hasNumpy() {
        if (numpy == null) {
            try {
                numpy = run("import numpy").exitCode() == 0;
            } catch (IOException e) {
                numpy = false;
            }
        }
        return numpy;
    }

    /**
     * Fails (never skips) when numpy is missing: the parity tests must run wherever the suite runs; {@code .ci/run}
     * installs python3-numpy and python3-scipy from Debian.
     */
    public static void requireNumpy() {
        if (!hasNumpy()) {
            throw new AssertionError("python3 with numpy is needed for this parity test: apt-get install "
                    + "python3-numpy python3-scipy (.ci/run does)");
        }
    }

    /** As {@link #requireNumpy()}, for scipy too. */
    public static void requireScipy() {
        requireNumpy();
        try {
            if (run("import scipy").exitCode() != 0) {
                throw new AssertionError("python3 with scipy is needed for this parity test: apt-get install "
                        + "python3-scipy (.ci/run does)");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run python3: " + e.getMessage(), e);
        }
    }

    /** Runs {@code python3 -c script args...} with a 60 s limit. */
    public static Result run(String script, String... args) throws IOException {
        String[] cmd = new String[3 + args.length];
        cmd[0] = "python3";
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
