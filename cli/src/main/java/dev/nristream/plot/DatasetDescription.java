package dev.nristream.plot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.model.DatasetLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code dataset<suffix>.json} beside a dataset's .npy files says about its agents: the system
 * ({@code springs}, {@code mocap}, {@code nba}, ...), the motion-capture joint names ({@code joints}), the basketball
 * roles and teams ({@code roles}, {@code teams}). Every field may be absent (a dataset made by other tools).
 *
 * <pre>{@code
 * DatasetDescription d = DatasetDescription.read(dir, "_nba");
 * List<String> names = d.agentNames(11);      // "0 F (James)", ..., "10 ball"
 * }</pre>
 *
 * @param system null when unknown
 */
public record DatasetDescription(String system, List<String> joints, List<String> roles, List<String> teams) {
    public static final String MOCAP = "mocap";
    public static final String NBA = "nba";

    /** Reads the file when there is one; without it every field is empty. */
    public static DatasetDescription read(Path dir, String suffix) {
        Path f = dir.resolve(DatasetLayout.provenanceFileName(suffix));
        if (!Files.isRegularFile(f)) {
            return new DatasetDescription(null, List.of(), List.of(), List.of());
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(f.toFile());
        } catch (IOException ex) {
            throw new IllegalArgumentException("cannot read " + f + ": " + ex.getMessage(), ex);
        }
        JsonNode sys = root.get("system");
        return new DatasetDescription(sys != null && sys.isTextual() ? sys.asText() : null, strings(root, "joints"),
                strings(root, "roles"), strings(root, "teams"));
    }

    /** This description with the system filled in from the model when the dataset does not name one. */
    public DatasetDescription orSystem(String modelSystem) {
        return system != null ? this : new DatasetDescription(modelSystem, joints, roles, teams);
    }

    /** Names of {@code n} agents: joint names, else "index role", else the index. */
    public List<String> agentNames(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (joints.size() == n) {
                out.add(joints.get(i));
            } else if (roles.size() == n) {
                out.add(i + " " + roles.get(i));
            } else {
                out.add(Integer.toString(i));
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode root, String key) {
        List<String> out = new ArrayList<>();
        JsonNode a = root.get(key);
        if (a != null && a.isArray()) {
            a.forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
