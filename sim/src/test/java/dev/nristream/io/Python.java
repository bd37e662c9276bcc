package dev.nristream.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs python3 scripts for the parity tests that compare with numpy where it is installed. */
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
