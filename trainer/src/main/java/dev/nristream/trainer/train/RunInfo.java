package dev.nristream.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nristream.model.Normaliser;
import dev.nristream.trainer.data.WindowSampling;
import dev.nristream.trainer.model.NriConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run.json}: what a training run was started with (provenance for model.json, and what a resumed run must
 * match).
 */
public record RunInfo(
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
        NriConfig model,
        Normaliser normalisation,
        String gitRevision,
        String created,
        List<Integer> lrMilestones,
        WindowSampling windowSampling,
        int windowsRamp,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Double clipGradNorm) {

    public RunInfo {
        lrMilestones = lrMilestones == null ? List.of() : List.copyOf(lrMilestones); // run.json of older runs
        // Runs from before live sampling trained on windows at the simulation's start.
        windowSampling = windowSampling == null ? WindowSampling.PAPER : windowSampling;
    }

    public static final String FILE = "run.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(this));
    }

    public static RunInfo read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("not a training run directory (no " + FILE + "): " + dir);
        }
        try {
            return JSON.readValue(f.toFile(), RunInfo.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(f + " is not a valid " + FILE + ": " + e.getOriginalMessage()
                    .replaceAll("\\s+", " "), e);
        }
    }

    /**
     * The run with another learning-rate schedule; {@code command} becomes the command line that would have
     * started this run with it (the caller checks that the epochs trained are unaffected).
     */
    public RunInfo withSchedule(int decay, double g, List<Integer> milestones) {
        String c = setFlag(command, "--lr-decay", decay == TrainOptions.DEFAULT_LR_DECAY ? null
                : Integer.toString(decay));
        c = setFlag(c, "--gamma", g == TrainOptions.DEFAULT_GAMMA ? null : Double.toString(g));
        c = setFlag(c, "--lr-milestones", milestones.isEmpty() ? null
                : String.join(",", milestones.stream().map(String::valueOf).toList()));
        return new RunInfo(c, seed, dataDir, suffix, trainHash, trainSize, validSize, epochs, batchSize,
                learningRate, decay, g, model, normalisation, gitRevision, created, milestones, windowSampling,
                windowsRamp, clipGradNorm);
    }

    /** {@code command} with {@code flag} set to {@code value} (removed when value is null). */
    static String setFlag(String command, String flag, String value) {
        String without = command.replaceAll("\\s" + java.util.regex.Pattern.quote(flag) + "(=|\\s+)\\S+", "");
        return value == null ? without : without + " " + flag + " " + value;
    }

    public RunInfo withEpochs(int e) {
        return new RunInfo(command, seed, dataDir, suffix, trainHash, trainSize, validSize, e, batchSize,
                learningRate, lrDecay, gamma, model, normalisation, gitRevision, created, lrMilestones, windowSampling,
                windowsRamp, clipGradNorm);
    }
}
