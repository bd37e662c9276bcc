package dev.nristream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking and launching, with small fake archives: failures must say what went wrong. */
class RegistryDistributionTest {

    @TempDir
    Path tmp;

    @Test
    void unpacksOnceAtomically() throws Exception {
        Path archive = archive("quarkus-run.jar", "lib/x.jar");
        Path target = tmp.resolve("cache").resolve("apicurio");
        assertThat(RegistryDistribution.unpack(archive, target)).isEqualTo(target);
        assertThat(target.resolve("lib/x.jar")).exists();
        Files.delete(target.resolve("lib/x.jar"));
        // A second call trusts the finished unpack and does not redo it.
        RegistryDistribution.unpack(archive, target);
        assertThat(target.resolve("lib/x.jar")).doesNotExist();
        assertThat(siblings(target)).containsExactly("apicurio");
    }

    @Test
    void archiveThatIsNotTheRegistryIsRejectedAndLeavesNothing() throws Exception {
        Path archive = archive("README");
        Path target = tmp.resolve("cache").resolve("apicurio");
        assertThatThrownBy(() -> RegistryDistribution.unpack(archive, target))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no quarkus-run.jar");
        assertThat(target).doesNotExist();
        assertThat(siblings(target)).isEmpty();
    }

    @Test
    void missingArchiveSaysHowToGetIt() {
        String old = System.getProperty(RegistryDistribution.ARCHIVE_PROPERTY);
        System.setProperty(RegistryDistribution.ARCHIVE_PROPERTY, tmp.resolve("nope.tar.gz").toString());
        try {
            assertThatThrownBy(RegistryDistribution::findArchive)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("nope.tar.gz");
        } finally {
            if (old == null) {
                System.clearProperty(RegistryDistribution.ARCHIVE_PROPERTY);
            } else {
                System.setProperty(RegistryDistribution.ARCHIVE_PROPERTY, old);
            }
        }
    }

    @Test
    void serverThatDiesAtStartShowsItsLog() throws Exception {
        // A corrupt quarkus-run.jar: java exits at once, complaining about the jar.
        Path archive = archive("quarkus-run.jar");
        Path log = tmp.resolve("registry.log");
        assertThatThrownBy(() -> EmbeddedRegistry.builder().withArchive(archive)
                .withCacheDir(tmp.resolve("unpacked")).withLogFile(log).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining(log.toString())
                .hasMessageContaining("jarfile");
    }

    @Test
    void findsAJava21PlusOnThisMachineOrSaysWhereItLooked() {
        try {
            Path home = JavaFinder.findJava21Home();
            assertThat(JavaFinder.featureVersion(home)).hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(21));
        } catch (IllegalStateException e) {
            assertThat(e).hasMessageContaining("No Java 21+").hasMessageContaining(JavaFinder.ENV);
        }
    }

    @Test
    void explicitJdkThatIsTooOldIsNamed() throws IOException {
        Path jdk = tmp.resolve("jdk17");
        Files.createDirectories(jdk.resolve("bin"));
        Path java = Files.createFile(jdk.resolve("bin/java"));
        java.toFile().setExecutable(true);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.9\"\n");
        assertThat(JavaFinder.featureVersion(jdk)).contains(17);
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(JavaFinder.ENV) == null);
        System.setProperty(JavaFinder.PROPERTY, jdk.toString());
        try {
            assertThatThrownBy(JavaFinder::findJava21Home)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(jdk.toString())
                    .hasMessageContaining("Java 17");
        } finally {
            System.clearProperty(JavaFinder.PROPERTY);
        }
    }

    private Path archive(String... entries) throws Exception {
        Path src = Files.createTempDirectory(tmp, "src");
        for (String e : entries) {
            Path p = src.resolve(e);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "not really " + e);
        }
        Path archive = tmp.resolve("dist-" + System.nanoTime() + ".tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", src.toString(), ".")
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor()).as(new String(tar.getInputStream().readAllBytes())).isZero();
        return archive;
    }

    private static java.util.List<String> siblings(Path target) throws IOException {
        if (!Files.isDirectory(target.getParent())) {
            return java.util.List.of();
        }
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
