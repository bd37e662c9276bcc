package dev.nristream.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The Kafka broker {@link EmbeddedKafka} runs as a child process: its version and class path. The module
 * {@code kafka-broker} (artifact {@code nri-kafka-broker}) resolves {@code kafka_2.13} and its runtime
 * dependencies from Maven Central at build time and writes their paths, relative to the local Maven repository,
 * into the resource {@value #RESOURCE}; they are found again in the repository this build uses
 * ({@link RegistryDistribution#localRepository()}), so none of the broker's classes is ever on this JVM's class
 * path and kafka-clients here can be the version our own code needs.
 */
public final class KafkaBrokerDistribution {

    /** Class-path resource written by the nri-kafka-broker build. */
    public static final String RESOURCE = "dev/nristream/embedded/kafka-broker.properties";
    /** Stands for the local Maven repository in the resource's paths. */
    static final String REPO_TOKEN = "M2REPO";

    private static volatile KafkaBrokerDistribution current;

    private final String version;
    private final List<Path> classPath;

    private KafkaBrokerDistribution(String version, List<Path> classPath) {
        this.version = version;
        this.classPath = List.copyOf(classPath);
    }

    /**
     * The broker this build resolved, read once per JVM.
     *
     * @throws IllegalStateException saying how to get it when the resource or one of its jars is missing
     */
    public static KafkaBrokerDistribution find() {
        KafkaBrokerDistribution d = current;
        if (d == null) {
            d = load(KafkaBrokerDistribution.class.getClassLoader(), RegistryDistribution.localRepository());
            current = d;
        }
        return d;
    }

    static KafkaBrokerDistribution load(ClassLoader loader, Path repository) {
        Properties p = new Properties();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("No " + RESOURCE + " on the class path: the embedded Kafka broker "
                        + "needs the artifact dev.nristream:nri-kafka-broker (module kafka-broker) as a dependency "
                        + "of whatever starts it");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE + ": " + e, e);
        }
        return parse(p, repository);
    }

    static KafkaBrokerDistribution parse(Properties p, Path repository) {
        String version = p.getProperty("version", "").strip();
        String entries = p.getProperty("classpath", "").strip();
        if (version.isEmpty() || entries.isEmpty() || entries.contains("${")) {
            throw new IllegalStateException(RESOURCE + " has no broker version or class path (version='" + version
                    + "'): it was not written by the nri-kafka-broker build; rebuild with 'mvn -B -ntp package "
                    + "-DskipTests'");
        }
        List<Path> jars = new ArrayList<>();
        List<Path> missing = new ArrayList<>();
        for (String entry : entries.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            Path jar = e.startsWith(REPO_TOKEN + "/")
                    ? repository.resolve(e.substring(REPO_TOKEN.length() + 1))
                    : Path.of(e);
            (Files.isRegularFile(jar) ? jars : missing).add(jar);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.size() + " jar(s) of the Kafka " + version + " broker are not in "
                    + "the local Maven repository " + repository + ", e.g. " + missing.get(0) + ". The Maven build "
                    + "fetches them (module kafka-broker): run 'mvn -B -ntp package -DskipTests' once online, or "
                    + "point -Dmaven.repo.local at the repository that has them.");
        }
        return new KafkaBrokerDistribution(version, jars);
    }

    /** Kafka version of the broker, e.g. {@code 4.4.0}. */
    public String version() {
        return version;
    }

    /** The broker's jars, in the order Maven resolved them. */
    public List<Path> classPath() {
        return classPath;
    }

    /** {@link #classPath()} joined for {@code -cp} or {@code CLASSPATH}. */
    String classPathString() {
        StringBuilder sb = new StringBuilder();
        for (Path jar : classPath) {
            if (sb.length() > 0) {
                sb.append(java.io.File.pathSeparatorChar);
            }
            sb.append(jar);
        }
        return sb.toString();
    }
}
