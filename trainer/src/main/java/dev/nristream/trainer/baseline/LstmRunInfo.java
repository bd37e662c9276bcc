package dev.nristream.trainer.baseline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nristream.model.Normaliser;
import dev.nristream.trainer.data.WindowSampling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code run.json} of an LSTM baseline run: what it was started with (what a resumed run continues with and what
 * evaluation rebuilds the network and the normalisation from). {@code kind} is {@value #KIND}, which tells it from
 * an NRI run's {@code run.json}.
 */
public record LstmRunInfo(
        String kind,
        String command,
        long seed,
        String dataDir,
        String suffix,
        String trainHash,
        int trainSize,
        int validSize,
        int epochs,
        int batchSize,
        double learningRate,
        int lrDecay,
        double gamma,
        WindowSampling windowSampling,
        LstmConfig model,
        Normaliser normalisation,
        String gitRevision,
        String created) {

    public static final String FILE = "run.json";
    public static final String KIND = "lstm-baseline";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(this));
    }

    /**
     * Reads a run's {@code run.json}.
     *
     * @throws IllegalArgumentException when there is none, it is not JSON, or it belongs to another kind of run
     */
    public static LstmRunInfo read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("not an LSTM baseline run directory (no " + FILE + "): " + dir);
        }
        LstmRunInfo info;
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(f.toFile());
            String kind = tree.path("kind").asText(null);
            if (!KIND.equals(kind)) {
                throw new IllegalArgumentException(f + " is not an LSTM baseline run (kind " + kind + ", expected "
                        + KIND + "); an NRI training run is evaluated with ./nri evaluate --model " + dir);
            }
            info = JSON.treeToValue(tree, LstmRunInfo.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(f + " is not a valid " + FILE + ": " + e.getOriginalMessage()
                    .replaceAll("\\s+", " "), e);
        }
        if (info.model() == null || info.normalisation() == null) {
            throw new IllegalArgumentException(f + " lacks the model or the normalisation");
        }
        return info;
    }

    public LstmRunInfo withEpochs(int e) {
        return new LstmRunInfo(kind, command, seed, dataDir, suffix, trainHash, trainSize, validSize, e, batchSize,
                learningRate, lrDecay, gamma, windowSampling, model, normalisation, gitRevision, created);
    }
}
