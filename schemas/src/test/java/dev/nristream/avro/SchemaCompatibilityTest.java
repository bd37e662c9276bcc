package dev.nristream.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.graph.StrongestEdges;
import dev.nristream.topic.TopicSpec;
import dev.nristream.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
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
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * The contract evolves BACKWARD compatibly: consumers on the current schemas read everything written with any
 * released version kept in {@code src/main/avro-released/<version>/}. A release adds a directory there. Every
 * topic's value schema (the input, the job's outputs, the dead letters and the analytics' records) must have a
 * released copy, so none escapes the check.
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

    @Test
    void everyTopicsValueSchemaIsReleasedAndIsWhatTheGeneratedClassWrites() throws Exception {
        Map<String, Schema> current = byFullName(parseDir(CURRENT));
        List<Path> releases = subdirs(RELEASED);
        Map<String, Schema> latest = byFullName(parseDir(releases.get(releases.size() - 1)));
        List<String> problems = new ArrayList<>();
        List<TopicSpec<?, ?>> topics = topics();
        for (TopicSpec<?, ?> t : topics) {
            Schema written = SpecificData.get().getSchema(t.valueType());
            Schema declared = current.get(written.getFullName());
            // Parsing canonical form: the generated class's copy carries the generator's string-type properties.
            if (declared == null || !SchemaNormalization.toParsingForm(written)
                    .equals(SchemaNormalization.toParsingForm(declared))) {
                problems.add(t.name() + ": " + written.getFullName() + " of the generated class differs from "
                        + CURRENT);
            }
            if (!latest.containsKey(written.getFullName())) {
                problems.add(t.name() + ": " + written.getFullName() + " has no released copy in "
                        + releases.get(releases.size() - 1) + ", so its compatibility is not checked");
            }
        }
        assertThat(problems).as("value schemas of the topics in Topics").isEmpty();
        assertThat(topics).extracting(TopicSpec::name).contains(Topics.GRAPHS.name(), Topics.FORECASTS.name(),
                Topics.POSITIONS_DLQ.name(), Topics.FORECAST_ERRORS.name(), Topics.EDGE_STATS.name());
    }

    @Test
    void theCheckRejectsARequiredFieldAddedToAnOutputRecord() throws IOException {
        for (String file : List.of("InteractionGraph.avsc", "TrajectoryForecast.avsc", "DeadLetter.avsc")) {
            Schema released = parseDir(RELEASED.resolve("0.1.0")).get(file);
            Schema broken = withField(released, "\"name\": \"confidence\", \"type\": \"double\"");
            assertThat(backwardProblem(broken, released)).as(file).isNotNull().contains("confidence");
        }
    }

    /**
     * What CONSUMING.md promises: a new optional field is invisible to a consumer still on the released schema
     * (Avro resolution skips it), and a consumer on the new schema reads old records with the field's default.
     */
    @Test
    void aNewOptionalFieldIsSkippedByOldReadersAndDefaultedForOldRecords() throws IOException {
        Schema released = parseDir(RELEASED.resolve("0.1.0")).get("InteractionGraph.avsc");
        Schema evolved = withField(released, "\"name\": \"confidence\", \"type\": [\"null\", \"double\"], "
                + "\"default\": null");
        GenericRecord newRecord = new GenericData.Record(evolved);
        GenericRecord graph = graphRecord(released);
        for (Schema.Field f : released.getFields()) {
            newRecord.put(f.name(), graph.get(f.name()));
        }
        newRecord.put("confidence", 0.75);

        GenericRecord readByOld = roundTrip(newRecord, evolved, released);
        assertThat(readByOld.getSchema().getField("confidence")).isNull();
        assertThat(readByOld.get("scene_id").toString()).isEqualTo("s1");
        assertThat(readByOld.get("window_end_ms")).isEqualTo(4_900L);

        GenericRecord oldReadByNew = roundTrip(graph, released, evolved);
        assertThat(oldReadByNew.get("confidence")).isNull();
        assertThat(oldReadByNew.get("model_id").toString()).isEqualTo("m1");
    }

    /**
     * {@code no_edge_type}, added after 0.1.0: graphs of 0.1.0 producers read with today's class have it null, and
     * consumers then fall back to the type named "none"; today's graphs are read by 0.1.0 consumers without it.
     */
    @Test
    void noEdgeTypeIsNullInOldGraphsAndInvisibleToOldConsumers() throws IOException {
        Schema released = parseDir(RELEASED.resolve("0.1.0")).get("InteractionGraph.avsc");
        Schema current = InteractionGraph.getClassSchema();
        InteractionGraph g = readGraph(graphRecord(released), released);
        assertThat(g.getNoEdgeType()).isNull();
        assertThat(StrongestEdges.noEdgeIndex(g)).as("old graphs: by name").isZero();

        GenericRecord now = graphRecord(current);
        now.put("edge_type_names", List.of("spring", "none"));
        now.put("no_edge_type", 0);
        assertThat(StrongestEdges.noEdgeIndex(readGraph(now, current)))
                .as("new graphs: the field, whatever the names").isZero();
        GenericRecord newReadByOld = roundTrip(now, current, released);
        assertThat(newReadByOld.getSchema().getField("no_edge_type")).isNull();
        assertThat(newReadByOld.get("window_end_frame")).isEqualTo(49L);
    }

    private static GenericRecord graphRecord(Schema graphSchema) {
        Schema edgeSchema = graphSchema.getField("edges").schema().getElementType();
        GenericRecord edge = new GenericData.Record(edgeSchema);
        edge.put("sender", "a");
        edge.put("receiver", "b");
        edge.put("edge_type", 1);
        edge.put("probabilities", List.of(0.2f, 0.8f));
        GenericRecord g = new GenericData.Record(graphSchema);
        g.put("scene_id", "s1");
        g.put("model_id", "m1");
        g.put("window_start_ms", 100L);
        g.put("window_end_ms", 4_900L);
        g.put("window_start_frame", 1L);
        g.put("window_end_frame", 49L);
        g.put("agent_ids", List.of("a", "b"));
        g.put("edges", List.of(edge));
        g.put("edge_type_names", List.of("none", "spring"));
        g.put("processing_time_ms", 5_000L);
        return g;
    }

    private static GenericRecord roundTrip(GenericRecord r, Schema writer, Schema reader) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(encode(r, writer), null));
    }

    /** {@code r}, written with {@code writer}, as today's consumers read it: the generated class. */
    private static InteractionGraph readGraph(GenericRecord r, Schema writer) throws IOException {
        return new SpecificDatumReader<InteractionGraph>(writer, InteractionGraph.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(encode(r, writer), null));
    }

    private static byte[] encode(GenericRecord r, Schema writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static List<TopicSpec<?, ?>> topics() throws IllegalAccessException {
        List<TopicSpec<?, ?>> out = new ArrayList<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == TopicSpec.class) {
                out.add((TopicSpec<?, ?>) f.get(null));
            }
        }
        return out;
    }

    private static Map<String, Schema> byFullName(Map<String, Schema> byFile) {
        Map<String, Schema> out = new TreeMap<>();
        byFile.values().forEach(s -> out.put(s.getFullName(), s));
        return out;
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
