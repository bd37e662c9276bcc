package dev.nristream.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apicurio Registry distribution: finds the {@code apicurio-registry-app-3.3.3-all.tar.gz} the Maven build
 * fetched and unpacks it once into a cache directory shared by every run on this machine.
 */
public final class RegistryDistribution {

    /** System property: path of the distribution tar.gz, overriding the local Maven repository. */
    public static final String ARCHIVE_PROPERTY = "nri.apicurio.archive";
    /** System property: where to unpack it (default {@code ~/.cache/nri-stream/apicurio-3.3.3}). */
    public static final String CACHE_PROPERTY = "nri.apicurio.home";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryDistribution.class);
    private static final String MARKER = ".nri-unpacked";
    private static final Pattern LOCAL_REPO = Pattern.compile("<localRepository>\\s*([^<]+?)\\s*</localRepository>");

    private RegistryDistribution() {
    }

    /**
     * The archive: {@value #ARCHIVE_PROPERTY}, else the local Maven repository ({@code -Dmaven.repo.local},
     * {@code ~/.m2/settings.xml}'s localRepository, {@code ~/.m2/repository}).
     *
     * @throws IllegalStateException saying how to get it when it is not there
     */
    public static Path findArchive() {
        String explicit = System.getProperty(ARCHIVE_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit.trim());
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("-D" + ARCHIVE_PROPERTY + " names " + p + ", which is not a file");
            }
            return p;
        }
        Path repo = localRepository();
        String name = "apicurio-registry-app-" + EmbeddedRegistry.VERSION + "-all.tar.gz";
        Path p = repo.resolve(Paths.get("io", "apicurio", "apicurio-registry-app", EmbeddedRegistry.VERSION, name));
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("Apicurio Registry distribution not found at " + p + ". The Maven build "
                    + "fetches it (io.apicurio:apicurio-registry-app:" + EmbeddedRegistry.VERSION
                    + ":tar.gz:all, a test dependency of nri-common): run 'mvn -B -ntp install -DskipTests' once "
                    + "online, or point -D" + ARCHIVE_PROPERTY + " at the file.");
        }
        return p;
    }

    /** The local Maven repository this build uses. */
    public static Path localRepository() {
        String prop = System.getProperty("maven.repo.local");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop.trim());
        }
        Path m2 = Paths.get(System.getProperty("user.home"), ".m2");
        Path settings = m2.resolve("settings.xml");
        if (Files.isRegularFile(settings)) {
            try {
                Matcher m = LOCAL_REPO.matcher(Files.readString(settings, StandardCharsets.UTF_8));
                if (m.find()) {
                    return Paths.get(m.group(1).replace("${user.home}", System.getProperty("user.home")));
                }
            } catch (IOException ignored) {
                // Fall back to the default location.
            }
        }
        return m2.resolve("repository");
    }

    /** {@value #CACHE_PROPERTY}, else {@code ~/.cache/nri-stream/apicurio-VERSION}. */
    public static Path defaultCacheDir() {
        String explicit = System.getProperty(CACHE_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Paths.get(explicit.trim());
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "nri-stream", "apicurio-" + EmbeddedRegistry.VERSION);
    }

    /**
     * Unpacks {@code archive} into {@code target} unless already done, and returns {@code target}. Safe when
     * several JVMs do it at once: each unpacks into its own temporary sibling, and one atomic rename wins.
     */
    public static Path unpack(Path archive, Path target) {
        if (Files.isRegularFile(target.resolve(MARKER)) && Files.isRegularFile(target.resolve("quarkus-run.jar"))) {
            return target;
        }
        long t0 = System.nanoTime();
        Path tmp;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            tmp = Files.createTempDirectory(target.toAbsolutePath().getParent(), target.getFileName() + ".tmp-");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a directory next to " + target + ": " + e, e);
        }
        try {
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", tmp.toString())
                    .redirectErrorStream(true).start();
            String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                throw new IllegalStateException("Unpacking " + archive + " with tar failed: " + out.trim());
            }
            if (!Files.isRegularFile(tmp.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException(archive + " has no quarkus-run.jar at its top level: not an "
                        + "Apicurio Registry " + EmbeddedRegistry.VERSION + " distribution?");
            }
            Files.writeString(tmp.resolve(MARKER), archive.toString());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                if (!Files.isRegularFile(target.resolve(MARKER))) {
                    throw new IllegalStateException(target + " exists but is not a complete unpacked registry; "
                            + "delete it and retry", raced);
                }
                EmbeddedKafka.deleteRecursively(tmp);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("Cannot rename " + tmp + " to " + target + " atomically", e);
            }
            LOG.info("Unpacked {} into {} in {} ms", archive.getFileName(), target,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return target;
        } catch (IOException e) {
            EmbeddedKafka.deleteRecursively(tmp);
            throw new IllegalStateException("Cannot unpack " + archive + " into " + target + ": " + e, e);
        } catch (InterruptedException e) {
            EmbeddedKafka.deleteRecursively(tmp);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while unpacking " + archive, e);
        } catch (RuntimeException e) {
            EmbeddedKafka.deleteRecursively(tmp);
            throw e;
        }
    }
}
