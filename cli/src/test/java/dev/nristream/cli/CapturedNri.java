package dev.nristream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code ./nri} in-process, keeping what the last run printed on stdout and stderr. */
final class CapturedNri {

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    /** The exit code of {@code ./nri args...}. */
    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
