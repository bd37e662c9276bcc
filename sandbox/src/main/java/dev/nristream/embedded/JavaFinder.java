package dev.nristream.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK of at least version 21 to run Apicurio Registry 3.3 while this JVM may be a 17. Order: the
 * environment variable {@value #ENV}, the system property {@value #PROPERTY}, this JVM, {@code JAVA_HOME},
 * then the newest JDK under {@code /usr/lib/jvm} (and {@code /opt/java}, {@code ~/.sdkman/candidates/java}).
 */
public final class JavaFinder {

    /** Environment variable naming the JDK that runs the registry. */
    public static final String ENV = "NRI_REGISTRY_JAVA_HOME";
    /** System property naming the JDK that runs the registry. */
    public static final String PROPERTY = "nri.registry.java.home";
    /** Oldest Java feature version Apicurio Registry 3.3 runs on. */
    public static final int MIN_VERSION = 21;

    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"?(\\d+)", Pattern.MULTILINE);

    private JavaFinder() {
    }

    /**
     * @throws IllegalStateException listing where it looked when there is no JDK 21+, or when {@value #ENV} /
     *     {@value #PROPERTY} name something that is not one
     */
    public static Path findJava21Home() {
        for (String explicit : new String[] {System.getenv(ENV), System.getProperty(PROPERTY)}) {
            if (explicit != null && !explicit.isBlank()) {
                Path home = Paths.get(explicit.trim());
                int v = featureVersion(home).orElse(-1);
                if (v < MIN_VERSION) {
                    throw new IllegalStateException(ENV + "/" + PROPERTY + " names " + home + ", which is "
                            + (v < 0 ? "not a JDK (no bin/java with a 'release' file)" : "Java " + v)
                            + "; Apicurio Registry needs Java " + MIN_VERSION + "+");
                }
                return home;
            }
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(Paths.get(System.getProperty("java.home")));
        Optional.ofNullable(System.getenv("JAVA_HOME")).filter(s -> !s.isBlank()).map(Paths::get)
                .ifPresent(candidates::add);
        List<Path> scanned = new ArrayList<>();
        for (Path root : List.of(Paths.get("/usr/lib/jvm"), Paths.get("/opt/java"),
                Paths.get(System.getProperty("user.home"), ".sdkman", "candidates", "java"))) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    s.filter(Files::isDirectory).forEach(scanned::add);
                } catch (IOException ignored) {
                    // An unreadable root just adds no candidates.
                }
            }
        }
        scanned.sort(Comparator.comparingInt((Path p) -> featureVersion(p).orElse(-1)).reversed());
        candidates.addAll(scanned);
        for (Path home : candidates) {
            if (featureVersion(home).orElse(-1) >= MIN_VERSION) {
                return home;
            }
        }
        throw new IllegalStateException("No Java " + MIN_VERSION + "+ found to run Apicurio Registry "
                + EmbeddedRegistry.VERSION + " (it needs Java " + MIN_VERSION + "; this JVM is "
                + Runtime.version().feature() + "). Looked at this JVM, JAVA_HOME and " + scanned
                + ". Install a JDK 21+ and/or set " + ENV + " to its home.");
    }

    /** {@code home/bin/java}, checked to exist. */
    public static Path javaExecutable(Path home) {
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("No executable bin/java under " + home);
        }
        return java;
    }

    /** Feature version (17, 21, 25) of the JDK or JRE at {@code home}, from its {@code release} file. */
    public static Optional<Integer> featureVersion(Path home) {
        if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return Optional.empty();
        }
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(release));
            if (!m.find()) {
                return Optional.empty();
            }
            int major = Integer.parseInt(m.group(1));
            // Java 8 and older write 1.8.0_x.
            return Optional.of(major);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
