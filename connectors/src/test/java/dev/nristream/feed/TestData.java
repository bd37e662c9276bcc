package dev.nristream.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real data ({@code -Dnri.shared.data}, set by surefire). */
public final class TestData {

    private TestData() {
    }

    public static Path dir() {
        String p = System.getProperty("nri.shared.data");
        assertThat(p).as("system property nri.shared.data (set by surefire)").isNotNull();
        Path dir = Path.of(p);
        assertThat(Files.isDirectory(dir)).as("shared data directory " + dir).isTrue();
        return dir;
    }

    public static Path cmuSubject35() {
        return dir().resolve("cmu-mocap/subject35");
    }

    public static Path nba() {
        return dir().resolve("nba-tracking");
    }
}
