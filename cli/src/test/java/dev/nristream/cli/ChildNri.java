package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ./nri} in a child JVM, as a user runs it; output to files so a full pipe never blocks it. */
record ChildNri(Process process, Path err) {
    static ChildNri start(Path dir, String name, List<String> args) throws IOException {
        return start(dir, name, "256m", args);
    }

    /** Output goes to {@code dir/name.out} and {@code dir/name.err}. */
    static ChildNri start(Path dir, String name, String heap, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Nri.class.getName()));
        cmd.addAll(args);
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(err.toFile()).start();
        return new ChildNri(p, err);
    }

    void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    int awaitExit() throws Exception {
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("./nri still running: %s", stderr()).isTrue();
        return process.exitValue();
    }

    String stderr() {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}
