package dev.nristream.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trained model's description, read from {@code model.json} in a model directory (snake_case keys). The trainer
 * writes it next to {@code encoder.onnx} and {@code decoder.onnx}; the stream reads it to know the window length,
 * the frame period, the feature layout, the normalisation constants and the edge types.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.read(dir.resolve("model.json")); // validated
 * spec.requireFeed(2, "scene sim-1 (2D positions)");           // clear error if the feed does not fit
 * int d = spec.features();
 * }</pre>
 *
 * <p>Boxed fields are null when the key is absent; {@link #validate()} names every missing or invalid field.
 *
 * @param modelId unique id stamped on every output (e.g. {@code springs5-20261127-1})
 * @param system what the model was trained on: {@code springs}, {@code charged}, {@code kuramoto}, {@code nba}, ...
 * @param atoms number of atoms N the model was trained with
 * @param dynamicAtoms whether the model may be run with a different N (the NRI MLP encoder and decoder can)
 * @param windowLength number of frames T the encoder sees
 * @param featureLayout names of the D features per atom and frame, in tensor order: positions ({@code x, y, z})
 *     then velocities ({@code vx, vy, vz})
 * @param spatialDims 2 or 3
 * @param samplingRateHz rate of the frames the model was trained on (the stream resamples feeds to it)
 * @param edgeTypes number of edge types K
 * @param edgeTypeNames K names, e.g. {@code ["none", "spring"]}
 * @param noEdgeType index of the "no edge" type, or -1 when every type is an interaction
 * @param normalisation the global min/max constants that scale features to [-1, 1]
 * @param encoderFile encoder file name inside the model directory
 * @param decoderFile decoder file name inside the model directory
 * @param training provenance: how the model was made
 * @param testMetrics metrics on the held-out test set (e.g. {@code edge_accuracy}, {@code mse_1})
 * @param edgeCalibration how the published edge probabilities are calibrated; null: not at all
 * @param encoderKind which encoder {@code encoder.onnx} holds: {@value #ENCODER_MLP} (the factor-graph MLP encoder,
 *     a fixed window of {@code window_length} frames) or {@value #ENCODER_CNN} (per-edge convolutions over time:
 *     any window of at least {@value #CNN_MIN_WINDOW} frames); absent: mlp (every model.json written before the
 *     choice)
 * @param decoderKind which decoder {@code decoder.onnx} holds: {@value #DECODER_MLP} (Markovian: next state from
 *     the current one) or {@value #DECODER_RECURRENT} (a GRU per node: one step with the hidden state in and out,
 *     {@link TensorNames#HIDDEN} and {@link TensorNames#NEXT_HIDDEN}); absent: mlp
 * @param decoderHidden width H of the recurrent decoder's hidden state [B, N, H]; required for a recurrent decoder
 *     (checked against the graph on load), absent otherwise
 * @param decoderBurnIn recurrent decoder only: how many of the window's most recent true frames the decoder steps
 *     through (from a zero hidden state) before it rolls forward on its own predictions; absent: the whole window
 * @param feedDims the coordinate dimensions of the frames the model serves when they have more axes than it reads
 *     (2 for a 3D feed): the model reads each frame's first {@code spatial_dims} axes and ignores the rest. The
 *     basketball model is 2D on the court's plane while SportVU frames carry the ball's height. Absent: frames must
 *     have exactly {@code spatial_dims} axes
 * @param walls the box of a simulated system whose walls the decoder reflects every predicted state at, as the
 *     simulator does ({@link ReflectingWalls}); absent: no walls (real feeds, and every model.json written before)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
        @JsonProperty("model_id") String modelId,
        @JsonProperty("system") String system,
        @JsonProperty("atoms") Integer atoms,
        @JsonProperty("dynamic_atoms") Boolean dynamicAtoms,
        @JsonProperty("window_length") Integer windowLength,
        @JsonProperty("feature_layout") List<String> featureLayout,
        @JsonProperty("spatial_dims") Integer spatialDims,
        @JsonProperty("sampling_rate_hz") Double samplingRateHz,
        @JsonProperty("edge_types") Integer edgeTypes,
        @JsonProperty("edge_type_names") List<String> edgeTypeNames,
        @JsonProperty("no_edge_type") Integer noEdgeType,
        @JsonProperty("normalisation") Normaliser normalisation,
        @JsonProperty("encoder_file") String encoderFile,
        @JsonProperty("decoder_file") String decoderFile,
        @JsonProperty("training") Provenance training,
        @JsonProperty("test_metrics") Map<String, Object> testMetrics,
        @JsonProperty("edge_calibration") EdgeCalibration edgeCalibration,
        @JsonProperty("encoder_kind") String encoderKind,
        @JsonProperty("decoder_kind") String decoderKind,
        @JsonProperty("decoder_hidden") Integer decoderHidden,
        @JsonProperty("decoder_burn_in") Integer decoderBurnIn,
        @JsonProperty("feed_dims") Integer feedDims,
        @JsonProperty("walls") ReflectingWalls walls) {

    /** {@code encoder_kind} of the factor-graph MLP encoder (the default). */
    public static final String ENCODER_MLP = "mlp";
    /** {@code encoder_kind} of the CNN encoder (time axis dynamic). */
    public static final String ENCODER_CNN = "cnn";
    /** {@code decoder_kind} of the Markovian MLP decoder (the default). */
    public static final String DECODER_MLP = "mlp";
    /** {@code decoder_kind} of the recurrent (GRU) decoder. */
    public static final String DECODER_RECURRENT = "recurrent";
    /** Shortest window the CNN encoder's two convolutions (kernel 5) and pooling (2) leave a step of. */
    public static final int CNN_MIN_WINDOW = 14;

    /** A description of an MLP-encoder, MLP-decoder model (the fields every model.json had before the kinds). */
    public ModelSpec(String modelId, String system, Integer atoms, Boolean dynamicAtoms, Integer windowLength,
            List<String> featureLayout, Integer spatialDims, Double samplingRateHz, Integer edgeTypes,
            List<String> edgeTypeNames, Integer noEdgeType, Normaliser normalisation, String encoderFile,
            String decoderFile, Provenance training, Map<String, Object> testMetrics,
            EdgeCalibration edgeCalibration) {
        this(modelId, system, atoms, dynamicAtoms, windowLength, featureLayout, spatialDims, samplingRateHz,
                edgeTypes, edgeTypeNames, noEdgeType, normalisation, encoderFile, decoderFile, training, testMetrics,
                edgeCalibration, null, null, null, null, null, null);
    }

    /** File name of the description inside a model directory. */
    public static final String FILE_NAME = "model.json";
    /** Default encoder file name when {@code encoder_file} is absent. */
    public static final String DEFAULT_ENCODER_FILE = "encoder.onnx";
    /** Default decoder file name when {@code decoder_file} is absent. */
    public static final String DEFAULT_DECODER_FILE = "decoder.onnx";

    /**
     * Optional sparse rollout file: the decoder's whole H-step rollout in one graph, messages for active edges
     * only (written by the trainer's export and by {@code ./nri upgrade-decoder}). Models without it run the dense
     * decoder step by step.
     */
    public static final String ROLLOUT_FILE = "rollout.onnx";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static final List<String> POSITION_NAMES = List.of("x", "y", "z");
    private static final List<String> VELOCITY_NAMES = List.of("vx", "vy", "vz");

    /** How the model was made (STYLE.md #7). Every field is optional. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provenance(
            @JsonProperty("command") String command,
            @JsonProperty("seed") Long seed,
            @JsonProperty("data") String data,
            @JsonProperty("data_hash") String dataHash,
            @JsonProperty("git_revision") String gitRevision,
            @JsonProperty("created") String created) {
    }

    /** Reads and validates a {@code model.json}. */
    public static ModelSpec read(Path file) {
        ModelSpec spec;
        try {
            spec = MAPPER.readValue(file.toFile(), ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new ModelException(file + " is not a valid model description: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> problems = spec.validate();
        if (!problems.isEmpty()) {
            throw new ModelException(file + " is invalid: " + String.join("; ", problems));
        }
        return spec;
    }

    /** Parses a {@code model.json} text and validates it. */
    public static ModelSpec parse(String json) {
        ModelSpec spec;
        try {
            spec = MAPPER.readValue(json, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new ModelException("not a valid model description: " + e.getOriginalMessage(), e);
        }
        List<String> problems = spec.validate();
        if (!problems.isEmpty()) {
            throw new ModelException("invalid model description: " + String.join("; ", problems));
        }
        return spec;
    }

    /** Writes this description as {@code model.json} text (used by the trainer's exporter). */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes this description to {@code file}. */
    public void write(Path file) {
        try {
            Files.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Every missing or invalid field, each named; empty when the description is usable. */
    public List<String> validate() {
        List<String> p = new ArrayList<>();
        if (modelId == null || modelId.isBlank()) {
            p.add("model_id is missing");
        }
        if (atoms == null) {
            p.add("atoms is missing");
        } else if (atoms < 2) {
            p.add("atoms must be >= 2, got " + atoms);
        }
        if (windowLength == null) {
            p.add("window_length is missing");
        } else if (windowLength < 2) {
            p.add("window_length must be >= 2, got " + windowLength);
        }
        if (spatialDims == null) {
            p.add("spatial_dims is missing");
        } else if (spatialDims != 2 && spatialDims != 3) {
            p.add("spatial_dims must be 2 or 3, got " + spatialDims);
        }
        if (feedDims != null && spatialDims != null && (feedDims <= spatialDims || feedDims > 3)) {
            p.add("feed_dims must be more than spatial_dims (" + spatialDims + ") and at most 3, got " + feedDims);
        }
        if (walls != null && featureLayout != null && spatialDims != null
                && !featureLayout.equals(expectedLayout(spatialDims))) {
            p.add("walls need positions and velocities in feature_layout (the decoder turns a velocity at a wall), "
                    + "got " + featureLayout);
        }
        if (walls != null && DECODER_RECURRENT.equals(decoderKind)) {
            p.add("walls are implemented for the MLP decoder only, not decoder_kind " + DECODER_RECURRENT);
        }
        if (featureLayout == null || featureLayout.isEmpty()) {
            p.add("feature_layout is missing");
        } else if (spatialDims != null && (spatialDims == 2 || spatialDims == 3)) {
            List<String> expected = expectedLayout(spatialDims);
            List<String> positionsOnly = expected.subList(0, spatialDims);
            if (!featureLayout.equals(expected) && !featureLayout.equals(positionsOnly)) {
                p.add("feature_layout " + featureLayout + " does not match spatial_dims=" + spatialDims
                        + " (expected " + expected + " or " + positionsOnly + ")");
            }
        }
        if (samplingRateHz == null) {
            p.add("sampling_rate_hz is missing");
        } else if (!(samplingRateHz > 0) || samplingRateHz.isInfinite()) {
            p.add("sampling_rate_hz must be a positive number, got " + samplingRateHz);
        }
        if (edgeTypes == null) {
            p.add("edge_types is missing");
        } else if (edgeTypes < 1) {
            p.add("edge_types must be >= 1, got " + edgeTypes);
        }
        if (edgeTypeNames == null || edgeTypeNames.isEmpty()) {
            p.add("edge_type_names is missing");
        } else if (edgeTypes != null && edgeTypeNames.size() != edgeTypes) {
            p.add("edge_type_names has " + edgeTypeNames.size() + " names but edge_types is " + edgeTypes);
        }
        if (noEdgeType != null && edgeTypes != null && (noEdgeType < -1 || noEdgeType >= edgeTypes)) {
            p.add("no_edge_type must be -1 or in [0, " + edgeTypes + "), got " + noEdgeType);
        }
        if (encoderKind != null && !encoderKind.equals(ENCODER_MLP) && !encoderKind.equals(ENCODER_CNN)) {
            p.add("encoder_kind must be " + ENCODER_MLP + " or " + ENCODER_CNN + ", got '" + encoderKind + "'");
        }
        if (ENCODER_CNN.equals(encoderKind) && windowLength != null && windowLength < CNN_MIN_WINDOW) {
            p.add("window_length must be >= " + CNN_MIN_WINDOW + " for encoder_kind " + ENCODER_CNN + ", got "
                    + windowLength);
        }
        if (decoderKind != null && !decoderKind.equals(DECODER_MLP) && !decoderKind.equals(DECODER_RECURRENT)) {
            p.add("decoder_kind must be " + DECODER_MLP + " or " + DECODER_RECURRENT + ", got '" + decoderKind + "'");
        }
        if (DECODER_RECURRENT.equals(decoderKind)) {
            if (decoderHidden == null) {
                p.add("decoder_hidden is missing (required for decoder_kind " + DECODER_RECURRENT + ")");
            } else if (decoderHidden < 1) {
                p.add("decoder_hidden must be >= 1, got " + decoderHidden);
            }
            if (decoderBurnIn != null && windowLength != null && (decoderBurnIn < 1 || decoderBurnIn > windowLength)) {
                p.add("decoder_burn_in must be in [1, window_length=" + windowLength + "], got " + decoderBurnIn);
            }
        } else {
            if (decoderHidden != null) {
                p.add("decoder_hidden is set but decoder_kind is " + decoderKindOrDefault()
                        + " (only the recurrent decoder has a hidden state)");
            }
            if (decoderBurnIn != null) {
                p.add("decoder_burn_in is set but decoder_kind is " + decoderKindOrDefault()
                        + " (only the recurrent decoder burns in)");
            }
        }
        if (normalisation == null) {
            p.add("normalisation is missing");
        } else {
            checkRange(p, "normalisation.loc_min", normalisation.jsonLocMin(), "normalisation.loc_max",
                    normalisation.jsonLocMax());
            if (featureLayout == null || hasVelocities()) {
                checkRange(p, "normalisation.vel_min", normalisation.jsonVelMin(), "normalisation.vel_max",
                        normalisation.jsonVelMax());
            }
        }
        return p;
    }

    private static void checkRange(List<String> p, String minName, Double min, String maxName, Double max) {
        if (min == null) {
            p.add(minName + " is missing");
        }
        if (max == null) {
            p.add(maxName + " is missing");
        }
        if (min != null && max != null) {
            if (!Double.isFinite(min) || !Double.isFinite(max)) {
                p.add(minName + " and " + maxName + " must be finite");
            } else if (!(max > min)) {
                p.add(maxName + " (" + max + ") must be greater than " + minName + " (" + min + ")");
            }
        }
    }

    /**
     * The Kuramoto oscillators' features, in the order the simulator writes them ({@code feat_} files): the phase
     * velocity, the sine of the phase, the phase (absent when the simulator is configured without it) and the natural frequency.
     */
    private static final List<String> OSCILLATOR_NAMES = List.of("dphi_dt", "sin_phi", "phi", "omega");

    /** The oscillators' layout for {@code features} 4 (with the phase) or 3 (without). */
    public static List<String> oscillatorLayout(int features) {
        if (features == 4) {
            return OSCILLATOR_NAMES;
        }
        if (features == 3) {
            return List.of(OSCILLATOR_NAMES.get(0), OSCILLATOR_NAMES.get(1), OSCILLATOR_NAMES.get(3));
        }
        throw new IllegalArgumentException("Kuramoto features are 4 (dphi_dt, sin_phi, phi, omega) or 3 (without "
                + "phi), got " + features);
    }

    /** The full layout for {@code dims}: {@code [x, y, vx, vy]} or {@code [x, y, z, vx, vy, vz]}. */
    public static List<String> expectedLayout(int dims) {
        List<String> l = new ArrayList<>(POSITION_NAMES.subList(0, dims));
        l.addAll(VELOCITY_NAMES.subList(0, dims));
        return List.copyOf(l);
    }

    /** D: features per atom and frame. */
    public int features() {
        return featureLayout.size();
    }

    /** Whether the feature layout carries velocities after the positions. */
    public boolean hasVelocities() {
        return featureLayout != null && spatialDims != null && featureLayout.size() > spatialDims;
    }

    /** Frame period of the model in milliseconds (may be fractional, e.g. 8.333 at 120 Hz). */
    public double periodMs() {
        return 1000.0 / samplingRateHz;
    }

    /** Encoder file name, defaulted. */
    public String encoderFileOrDefault() {
        return encoderFile == null || encoderFile.isBlank() ? DEFAULT_ENCODER_FILE : encoderFile;
    }

    /** Decoder file name, defaulted. */
    public String decoderFileOrDefault() {
        return decoderFile == null || decoderFile.isBlank() ? DEFAULT_DECODER_FILE : decoderFile;
    }

    /** Index of the "no edge" type, -1 when absent. */
    /** The calibration of the published edge probabilities ({@link EdgeCalibration#NONE} when absent). */
    public EdgeCalibration calibration() {
        return edgeCalibration == null ? EdgeCalibration.NONE : edgeCalibration;
    }

    /** This description with another calibration. */
    public ModelSpec withCalibration(EdgeCalibration c) {
        return new ModelSpec(modelId, system, atoms, dynamicAtoms, windowLength, featureLayout, spatialDims,
                samplingRateHz, edgeTypes, edgeTypeNames, noEdgeType, normalisation, encoderFile, decoderFile,
                training, testMetrics, c, encoderKind, decoderKind, decoderHidden, decoderBurnIn, feedDims, walls);
    }

    /**
     * This description with the encoder and decoder kinds (the trainer's exporter; null kinds stay absent, i.e.
     * mlp).
     *
     * @param hidden the recurrent decoder's H, null for an MLP decoder
     * @param burnIn the recurrent decoder's burn-in frames, null for the whole window (or an MLP decoder)
     */
    public ModelSpec withArchitecture(String encoder, String decoder, Integer hidden, Integer burnIn) {
        return new ModelSpec(modelId, system, atoms, dynamicAtoms, windowLength, featureLayout, spatialDims,
                samplingRateHz, edgeTypes, edgeTypeNames, noEdgeType, normalisation, encoderFile, decoderFile,
                training, testMetrics, edgeCalibration, encoder, decoder, hidden, burnIn, feedDims, walls);
    }

    /** This description serving frames of {@code dims} axes (null: exactly {@code spatial_dims}). */
    public ModelSpec withFeedDims(Integer dims) {
        return new ModelSpec(modelId, system, atoms, dynamicAtoms, windowLength, featureLayout, spatialDims,
                samplingRateHz, edgeTypes, edgeTypeNames, noEdgeType, normalisation, encoderFile, decoderFile,
                training, testMetrics, edgeCalibration, encoderKind, decoderKind, decoderHidden, decoderBurnIn, dims,
                walls);
    }

    /** This description with the simulation box its decoder reflects states at (null: none). */
    public ModelSpec withWalls(ReflectingWalls w) {
        return new ModelSpec(modelId, system, atoms, dynamicAtoms, windowLength, featureLayout, spatialDims,
                samplingRateHz, edgeTypes, edgeTypeNames, noEdgeType, normalisation, encoderFile, decoderFile,
                training, testMetrics, edgeCalibration, encoderKind, decoderKind, decoderHidden, decoderBurnIn,
                feedDims, w);
    }

    /**
     * Whether frames with {@code dims} coordinate axes fit: the model's own {@code spatial_dims}, or its
     * {@code feed_dims} (the extra axes then dropped, {@link #dropsAxes}).
     */
    public boolean servesDims(int dims) {
        return spatialDims != null && (dims == spatialDims || feedDims != null && dims == feedDims);
    }

    /** Whether frames with {@code dims} axes are served by their first {@code spatial_dims} only. */
    public boolean dropsAxes(int dims) {
        return servesDims(dims) && dims > spatialDims;
    }

    /** {@code encoder_kind}, defaulted: {@value #ENCODER_MLP} when absent. */
    public String encoderKindOrDefault() {
        return encoderKind == null ? ENCODER_MLP : encoderKind;
    }

    /** {@code decoder_kind}, defaulted: {@value #DECODER_MLP} when absent. */
    public String decoderKindOrDefault() {
        return decoderKind == null ? DECODER_MLP : decoderKind;
    }

    /** Whether decoder.onnx is the recurrent one-step decoder (hidden state in and out). */
    public boolean recurrentDecoder() {
        return DECODER_RECURRENT.equals(decoderKind);
    }

    /**
     * The dataset suffix the model was trained on: the {@code --suffix} of the training command it records
     * (mocap35 trains on {@code _mocap35}, which system and atoms would call {@code _mocap31}), else
     * {@code _<system><atoms>}.
     */
    public String trainingSuffix() {
        if (training != null && training.command() != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("--suffix[ =](\\S+)").matcher(training.command());
            if (m.find()) {
                return m.group(1);
            }
        }
        return "_" + system + atoms;
    }

    /** Whether encoder.onnx takes windows of any length from {@value #CNN_MIN_WINDOW} frames. */
    public boolean dynamicWindow() {
        return ENCODER_CNN.equals(encoderKind);
    }

    /**
     * How many of a window's most recent frames the decoder consumes before its forecast: 1 for the MLP decoder
     * (the last frame), {@code decoder_burn_in} (default: the whole window) for the recurrent one.
     */
    public int decoderFrames() {
        if (!recurrentDecoder()) {
            return 1;
        }
        return decoderBurnIn == null ? windowLength : decoderBurnIn;
    }

    public int noEdgeTypeOrNone() {
        return noEdgeType == null ? -1 : noEdgeType;
    }

    /** Whether the model may run on scenes with {@code n} agents. */
    public boolean acceptsAtoms(int n) {
        return n >= 2 && (Boolean.TRUE.equals(dynamicAtoms) || n == atoms);
    }

    /** A one-line description, e.g. {@code springs5 (springs, 2D [x, y, vx, vy], 5 atoms, T=49 at 10.0 Hz)}. */
    public String describe() {
        return modelId + " (" + (system == null ? "unknown system" : system) + ", " + spatialDims + "D "
                + featureLayout + ", " + atoms + " atoms" + (Boolean.TRUE.equals(dynamicAtoms) ? " (dynamic)" : "")
                + ", T=" + windowLength + (dynamicWindow() ? "+" : "") + " at " + samplingRateHz + " Hz"
                + (encoderKind == null && decoderKind == null ? ""
                        : ", " + encoderKindOrDefault() + " encoder, " + decoderKindOrDefault() + " decoder")
                + ")";
    }

    /**
     * Checks that a feed with {@code feedDims} spatial dimensions fits this model, e.g. that 3D mocap joints are
     * not sent to a 2D particle model.
     *
     * @param feedDims spatial dimensions of the feed's frames (its {@code coordinates.dimensions})
     * @param feedDescription what the feed is, for the message (e.g. {@code "scene 86_01 (CMU mocap, 3D)"})
     * @throws ModelException naming both the model's layout and the feed's
     */
    public void requireFeed(int feedDims, String feedDescription) {
        String problem = feedMismatch(feedDims, feedDescription);
        if (problem != null) {
            throw new ModelException(problem);
        }
    }

    /** The message {@link #requireFeed} would throw, or null when the feed fits. */
    public String feedMismatch(int feedDims, String feedDescription) {
        if (!servesDims(feedDims)) {
            return "model " + modelId + " expects " + spatialDims + "D features " + featureLayout
                    + (this.feedDims == null ? "" : " (from " + this.feedDims + "D frames)") + " but "
                    + feedDescription + " has " + feedDims + "D positions; use a model trained on " + feedDims
                    + "D data";
        }
        return null;
    }
}
