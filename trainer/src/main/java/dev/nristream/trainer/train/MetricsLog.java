package dev.nristream.trainer.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code metrics.jsonl}: one JSON object per finished epoch. */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsLog() {}

    public static void append(Path file, Map<String, Object> line) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                out.add(JSON.readValue(l, new TypeReference<Map<String, Object>>() {}));
            }
        }
        return out;
    }

    /** Drops lines of epochs after {@code epochs} (a resumed run repeats them). */
    static void truncate(Path file, int epochs) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                Map<String, Object> m = JSON.readValue(l, new TypeReference<Map<String, Object>>() {});
                if (((Number) m.get("epoch")).intValue() <= epochs) {
                    keep.add(l);
                }
            }
        }
        Files.write(file, keep, StandardCharsets.UTF_8);
    }
}
