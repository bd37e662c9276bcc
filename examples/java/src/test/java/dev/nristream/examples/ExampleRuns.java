package dev.nristream.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.InteractionGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How tests run the example consumers as their users do, with the documented flags: the Python one
 * (examples/python) with a Python that has Debian's confluent_kafka and avro, the Java ones by their main class;
 * and the line each prints for a graph. Shared by {@code ConsumerExamplesTest} and the end-to-end test against the
 * real job (cli's {@code LivePipelineEndToEndTest}).
 */
public final class ExampleRuns {

    private ExampleRuns() {
    }

    /** The flags every example takes (see {@link ExampleOptions}). */
    public static List<String> flags(String bootstrap, String registry, String topic, String group, long maxGraphs,
            long idleTimeoutS) {
        return List.of("--bootstrap", bootstrap, "--registry", registry, "--topic", topic, "--group", group,
                "--max-graphs", Long.toString(maxGraphs), "--idle-timeout", Long.toString(idleTimeoutS));
    }

    /** {@code python3 examples/python/consume_graphs.py FLAGS}. */
    public static List<String> pythonCommand(List<String> flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(pythonWithKafkaAndAvro(), pythonScript().toString()));
        cmd.addAll(flags);
        return cmd;
    }

    /** {@code java -cp <this JVM's class path> <main> FLAGS}: a Java example as its own process. */
    public static List<String> javaCommand(Class<?> main, List<String> flags) {
        // Under surefire java.class.path may name only its booter jar; the tests' class path is in its own property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classPath, main.getName()));
        cmd.addAll(flags);
        return cmd;
    }

    /** What every example prints for {@code g} (the Python one too): {@code <scene> frame <n>: <strongest edges>}. */
    public static String line(InteractionGraph g) {
        return GraphLine.of(g);
    }

    static Path pythonScript() {
        Path root = Paths.get(System.getProperty("nri.project.root", "../.."));
        Path s = root.resolve("examples/python/consume_graphs.py");
        assertThat(s).as("the Python example").exists();
        return s;
    }

    /**
     * The first Python 3 that imports confluent_kafka and avro: Debian's packages live in /usr/bin/python3's
     * path, which a python3 earlier on PATH (pyenv, a venv) may not see. None is a failure, not a skip: CI
     * installs the packages (.ci/run).
     */
    static String pythonWithKafkaAndAvro() throws IOException, InterruptedException {
        List<String> tried = new ArrayList<>();
        for (String candidate : List.of(System.getenv().getOrDefault("NRI_PYTHON", "/usr/bin/python3"),
                "/usr/bin/python3", "python3")) {
            tried.add(candidate);
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import confluent_kafka, avro")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // try the next one
            }
        }
        throw new AssertionError("no Python 3 with confluent_kafka and avro among " + tried
                + ": apt-get install python3-confluent-kafka python3-avro (or set NRI_PYTHON)");
    }
}
