package dev.nristream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the broker's class path: the one this build wrote, and clear errors when it cannot be used. */
class KafkaBrokerDistributionTest {

    @TempDir
    Path tmp;

    @Test
    void theBuildsBrokerIsKafkaOnlyAndComplete() {
        KafkaBrokerDistribution d = KafkaBrokerDistribution.find();
        assertThat(d.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(d.classPath()).allSatisfy(jar -> assertThat(jar).isRegularFile());
        assertThat(d.classPath()).anySatisfy(jar -> assertThat(jar.getFileName().toString())
                .isEqualTo("kafka_2.13-" + d.version() + ".jar"));
        // The broker's clients are its own version; this JVM's are the ones our code is built against.
        assertThat(d.classPath()).anySatisfy(jar -> assertThat(jar.getFileName().toString())
                .isEqualTo("kafka-clients-" + d.version() + ".jar"));
        assertThat(KafkaBrokerDistribution.class.getClassLoader().getResource("kafka/Kafka.class")).isNull();
    }

    @Test
    void pathsAreResolvedInTheGivenRepository() throws Exception {
        Path jar = Files.createDirectories(tmp.resolve("org/x/1")).resolve("x-1.jar");
        Files.writeString(jar, "jar");
        KafkaBrokerDistribution d = KafkaBrokerDistribution.parse(props("9.9.9", "M2REPO/org/x/1/x-1.jar"), tmp);
        assertThat(d.version()).isEqualTo("9.9.9");
        assertThat(d.classPath()).containsExactly(jar);
    }

    @Test
    void missingJarsSayWhereAndHowToGetThem() {
        assertThatThrownBy(() -> KafkaBrokerDistribution.parse(props("9.9.9", "M2REPO/org/y/2/y-2.jar"), tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 jar(s) of the Kafka 9.9.9 broker")
                .hasMessageContaining(tmp.resolve("org/y/2/y-2.jar").toString())
                .hasMessageContaining("mvn -B -ntp package");
    }

    @Test
    void unfilteredOrMissingResourceIsNamed() {
        assertThatThrownBy(() -> KafkaBrokerDistribution.parse(props("${kafka.broker.version}",
                "${kafka.broker.classpath}"), tmp))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not written by the nri-kafka-broker");
        ClassLoader empty = new ClassLoader(null) { };
        assertThatThrownBy(() -> KafkaBrokerDistribution.load(empty, tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(KafkaBrokerDistribution.RESOURCE)
                .hasMessageContaining("nri-kafka-broker");
    }

    private static Properties props(String version, String classpath) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("classpath", classpath);
        return p;
    }
}
