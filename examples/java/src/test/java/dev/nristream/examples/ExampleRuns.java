package dev.nristream.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.registry.AvroRegistrySerializer;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.testing.RealServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

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

    /** What an example run as a child process printed, and its exit code. */
    public record Run(int exit, String out, String err) {
    }

    /** Runs {@code command}, its output in files under {@code dir}, and fails the test if it outlives the timeout. */
    public static Run run(List<String> command, Path dir, long timeoutS) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(timeoutS, TimeUnit.SECONDS)).as("%s finished", command.get(1)).isTrue();
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Writes {@code graphs} to {@code topic} of a secured test broker in one committed transaction, with the broker's
     * own client settings and the shared registry; returns the line each example prints for them, in order.
     */
    public static List<String> commitGraphs(EmbeddedKafka kafka, String topic, String transactionalId,
            List<InteractionGraph> graphs) {
        Map<String, Object> props = new HashMap<>(kafka.clientConfig());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        List<String> lines = new ArrayList<>();
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroRegistrySerializer<>(new SchemaRegistryClient(RealServices.registryConfig()), false))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (InteractionGraph g : graphs) {
                producer.send(new ProducerRecord<>(topic, g.getSceneId(), g));
                lines.add(line(g));
            }
            producer.commitTransaction();
        }
        return lines;
    }
}
