package dev.nristream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive's life cycle, without a JVM: written at a child's exit, then used; a changed class path gets its own. */
class ClassDataArchiveTest {

    @TempDir
    Path tmp;

    @Test
    void firstChildWritesTheArchiveLaterChildrenUseIt() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "a");
        Path cache = tmp.resolve("cds");
        ClassDataArchive first = ClassDataArchive.of("x", List.of(jar), cache);
        String dump = single(first.jvmOptions());
        assertThat(dump).startsWith("-XX:ArchiveClassesAtExit=");
        Files.writeString(Path.of(dump.substring(dump.indexOf('=') + 1)), "archive"); // what the JVM does at exit
        first.childExited();
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString()
                    .startsWith("x-").endsWith(".jsa");
        }
        String use = single(ClassDataArchive.of("x", List.of(jar), cache).jvmOptions());
        assertThat(use).startsWith("-XX:SharedArchiveFile=").endsWith(".jsa");

        Files.writeString(jar, "a, rebuilt");
        assertThat(single(ClassDataArchive.of("x", List.of(jar), cache).jvmOptions()))
                .startsWith("-XX:ArchiveClassesAtExit=");
    }

    @Test
    void aDiscardedChildLeavesNothingAndTheSwitchTurnsItOff() throws Exception {
        Path cache = tmp.resolve("cds");
        ClassDataArchive failed = ClassDataArchive.of("x", List.of(), cache);
        String dump = single(failed.jvmOptions());
        Files.writeString(Path.of(dump.substring(dump.indexOf('=') + 1)), "partial");
        failed.discard();
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
        System.setProperty(ClassDataArchive.PROPERTY, "false");
        try {
            assertThat(ClassDataArchive.of("x", List.of(), cache).jvmOptions()).isEmpty();
        } finally {
            System.clearProperty(ClassDataArchive.PROPERTY);
        }
    }

    private static String single(List<String> options) {
        assertThat(options).hasSize(1);
        return options.get(0);
    }
}
