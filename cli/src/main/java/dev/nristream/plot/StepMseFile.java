package dev.nristream.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-step MSE arrays in one {@code --json} output of {@code ./nri evaluate} ({@code mse}, {@code static_mse},
 * with {@code --dynamic} also {@code dynamic_mse}) or {@code ./nri baseline lstm --evaluate} ({@code mse},
 * {@code static_mse}). A per-step MSE array is a top-level key ending in {@code mse} that holds a list of numbers:
 * the name rule keeps out other number lists such as {@code type_assignment}.
 *
 * <pre>{@code
 * StepMseFile f = StepMseFile.read(Path.of("eval.json"));
 * double[] mse = f.values("dynamic_mse");      // or f.values(null): the only array, if there is one
 * }</pre>
 */
public final class StepMseFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, double[]> arrays;

    private StepMseFile(Path file, Map<String, double[]> arrays) {
        this.file = file;
        this.arrays = arrays;
    }

    /** Reads the file; errors name it and say what was expected. */
    public static StepMseFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file + " (expected the --json output of ./nri "
                    + "evaluate or ./nri baseline lstm --evaluate)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException(file + " is not JSON: " + ex.getOriginalMessage());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (root != null && root.isArray()) {
            // --window-start with several starts prints a list; which one to draw is not ours to guess.
            throw new IllegalArgumentException(file + " holds a list of " + root.size() + " evaluations (one per "
                    + "--window-start); evaluate one window start per file to plot it");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " is not a JSON object with per-step MSE arrays");
        }
        Map<String, double[]> arrays = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            double[] v = numbers(e.getValue());
            if (e.getKey().endsWith("mse") && v != null && v.length > 0) {
                arrays.put(e.getKey(), v);
            }
        }
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no per-step MSE array (a key ending in 'mse' with a "
                    + "list of numbers, e.g. mse or static_mse)");
        }
        return new StepMseFile(file, arrays);
    }

    /** Keys of the per-step MSE arrays, in file order. */
    public List<String> keys() {
        return new ArrayList<>(arrays.keySet());
    }

    /**
     * The array under {@code key}, or with a null key the file's only one.
     *
     * @throws IllegalArgumentException naming the file and listing the keys it has
     */
    public double[] values(String key) {
        if (key == null) {
            if (arrays.size() == 1) {
                return arrays.values().iterator().next().clone();
            }
            throw new IllegalArgumentException(file + " has " + arrays.size() + " per-step MSE arrays " + keys()
                    + "; pick one with " + file + ":KEY");
        }
        double[] v = arrays.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + " has no per-step MSE array '" + key + "'; it has " + keys());
        }
        return v.clone();
    }

    private static double[] numbers(JsonNode node) {
        if (!node.isArray()) {
            return null;
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            if (!node.get(i).isNumber()) {
                return null;
            }
            out[i] = node.get(i).asDouble();
        }
        return out;
    }
}
