package dev.nristream.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * The contract evolves BACKWARD compatibly: consumers on the current schemas read everything written with any
 * released version kept in {@code src/main/avro-released/<version>/}. A release adds a directory there.
 */
class SchemaCompatibilityTest {

    private static final Path CURRENT = Paths.get("src", "main", "avro");
    private static final Path RELEASED = Paths.get("src", "main", "avro-released");

    @Test
    void everyCurrentSchemaReadsEveryReleasedVersion() throws IOException {
        Map<String, Schema> current = parseDir(CURRENT);
        List<Path> releases = subdirs(RELEASED);
        assertThat(releases).as("released versions under %s", RELEASED).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Path release : releases) {
            for (Map.Entry<String, Schema> old : parseDir(release).entrySet()) {
                Schema now = current.get(old.getKey());
                if (now == null) {
                    problems.add(old.getKey() + " was released in " + release.getFileName()
                            + " but is gone from " + CURRENT);
                    continue;
                }
                String why = backwardProblem(now, old.getValue());
                if (why != null) {
                    problems.add(old.getKey() + " cannot read data written with release " + release.getFileName()
                            + ": " + why);
                }
            }
        }
        assertThat(problems).as("BACKWARD compatibility with released schemas").isEmpty();
    }

    @Test
    void everyNamedTypeHasANamespace() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Schema> e : parseDir(CURRENT).entrySet()) {
            for (Schema named : namedTypes(e.getValue())) {
                if (named.getNamespace() == null || named.getNamespace().isBlank()) {
                    missing.add(e.getKey() + ": " + named.getName());
                }
            }
        }
        assertThat(missing).as("named types without a namespace").isEmpty();
        assertThat(parseDir(CURRENT)).isNotEmpty();
    }

    @Test
    void theCheckRejectsARequiredFieldAddedWithoutDefault() throws IOException {
        Schema released = parseDir(RELEASED.resolve("0.1.0")).get("PositionFrame.avsc");
        Schema broken = withField(released, "\"name\": \"confidence\", \"type\": \"double\"");
        assertThat(backwardProblem(broken, released)).isNotNull().contains("confidence");

        Schema evolved = withField(released, "\"name\": \"confidence\", \"type\": [\"null\", \"double\"], "
                + "\"default\": null");
        assertThat(backwardProblem(evolved, released)).isNull();
    }

    @Test
    void theCheckRejectsANarrowedType() throws IOException {
        Schema released = parseDir(RELEASED.resolve("0.1.0")).get("PositionFrame.avsc");
        Schema narrowed = new Schema.Parser().parse(released.toString()
                .replace("\"name\":\"frame_index\",\"type\":\"long\"", "\"name\":\"frame_index\",\"type\":\"int\""));
        assertThat(narrowed.getField("frame_index").schema().getType()).isEqualTo(Schema.Type.INT);
        assertThat(backwardProblem(narrowed, released)).isNotNull();
    }

    /** Null when {@code reader} reads what {@code writer} wrote, else the incompatibilities. */
    static String backwardProblem(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .collect(Collectors.joining("; "));
    }

    private static Schema withField(Schema record, String fieldJson) {
        String json = record.toString();
        int fieldsEnd = json.lastIndexOf(']');
        return new Schema.Parser().parse(json.substring(0, fieldsEnd) + ",{" + fieldJson + "}" + json.substring(fieldsEnd));
    }

    private static Map<String, Schema> parseDir(Path dir) throws IOException {
        Map<String, Schema> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".avsc")).collect(Collectors.toList())) {
                out.put(f.getFileName().toString(), new Schema.Parser().parse(f.toFile()));
            }
        }
        return out;
    }

    private static List<Path> subdirs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
    }

    private static List<Schema> namedTypes(Schema root) {
        List<Schema> out = new ArrayList<>();
        collect(root, out, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collect(Schema s, List<Schema> out, Set<Schema> seen) {
        if (!seen.add(s)) {
            return;
        }
        switch (s.getType()) {
            case RECORD -> {
                out.add(s);
                s.getFields().forEach(f -> collect(f.schema(), out, seen));
            }
            case ENUM, FIXED -> out.add(s);
            case ARRAY -> collect(s.getElementType(), out, seen);
            case MAP -> collect(s.getValueType(), out, seen);
            case UNION -> s.getTypes().forEach(t -> collect(t, out, seen));
            default -> {
            }
        }
    }
}
