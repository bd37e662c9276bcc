package dev.nristream.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive (AppCDS) for a child JVM, so it does not parse and verify the same few thousand
 * classes on every start: the broker starts about twice as fast with one. The first child on a machine runs with
 * {@code -XX:ArchiveClassesAtExit} into a file of its own, which becomes the archive once that child has exited;
 * later children map it with {@code -XX:SharedArchiveFile}. The archive's name is a hash of the JDK and of every
 * jar's path, size and time, so a changed class path or JDK gets a new archive rather than a rejected one. Off
 * with {@code -D}{@value #PROPERTY}{@code =false}; the JVM itself ignores an archive it cannot use.
 */
final class ClassDataArchive {

    /** System property: {@code false} runs children without an archive. */
    static final String PROPERTY = "nri.cds";

    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

    private final Path archive;
    private final Path pending;
    private final boolean enabled;

    private ClassDataArchive(Path archive, Path pending, boolean enabled) {
        this.archive = archive;
        this.pending = pending;
        this.enabled = enabled;
    }

    /** The archive for {@code name} run on this JVM's Java with {@code classPath}, under {@code cacheDir}. */
    static ClassDataArchive of(String name, List<Path> classPath, Path cacheDir) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return new ClassDataArchive(null, null, false);
        }
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            LOG.info("No class-data archive for {}: cannot create {} ({})", name, cacheDir, e.toString());
            return new ClassDataArchive(null, null, false);
        }
        Path archive = cacheDir.resolve(name + "-" + key(classPath) + ".jsa");
        Path pending = cacheDir.resolve(archive.getFileName() + ".tmp-" + UUID.randomUUID());
        return new ClassDataArchive(archive, pending, true);
    }

    /** {@code ~/.cache/nri-stream/cds}. */
    static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "nri-stream", "cds");
    }

    /** Options for the child's command line: use the archive, or write one at exit. */
    List<String> jvmOptions() {
        if (!enabled) {
            return List.of();
        }
        return Files.isRegularFile(archive) ? List.of("-XX:SharedArchiveFile=" + archive)
                : List.of("-XX:ArchiveClassesAtExit=" + pending);
    }

    /** After the child has exited: publishes the archive it wrote, if it wrote one. */
    void childExited() {
        if (!enabled || !Files.exists(pending)) {
            return;
        }
        try {
            if (Files.size(pending) > 0) {
                // Another child may have published one meanwhile; either is as good.
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.info("Class-data archive {} written for the next child JVMs", archive);
            }
        } catch (IOException e) {
            LOG.info("Cannot publish class-data archive {}: {}", archive, e.toString());
        } finally {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException ignored) {
                // A stray temporary file in the cache is harmless.
            }
        }
    }

    /** After a child that is not worth archiving has exited: drops what it may have written. */
    void discard() {
        if (enabled) {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException ignored) {
                // A stray temporary file in the cache is harmless.
            }
        }
    }

    private static String key(List<Path> classPath) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, System.getProperty("java.home"));
            update(sha, System.getProperty("java.vm.version"));
            for (Path jar : classPath) {
                update(sha, jar.toAbsolutePath().toString());
                try {
                    update(sha, Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis());
                } catch (IOException e) {
                    update(sha, "unreadable");
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void update(MessageDigest sha, String s) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }
}
