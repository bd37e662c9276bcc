package dev.nristream.trainer.export;

import ai.onnx.proto.OnnxMl;
import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelException;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Brings a model directory exported before the sparse rollout up to the fast form, from its ONNX files alone (no
 * retraining, no checkpoint): adds {@code rollout.onnx}, built from the weights in {@code decoder.onnx}, and
 * rewrites the encoder's Elu nodes into the vectorised form ({@link OnnxGraph#elu}). Each new file is checked
 * in a scratch copy before it replaces anything: the encoder's probabilities and the rollout (10 steps from random
 * states with soft, hard and all-silent edge weights, at the trained N and at 11 atoms; step by step, see
 * {@link #rolloutParity}) must match the old files to {@link #TOLERANCE} (the rollout's values beyond +-1
 * relatively).
 *
 * <pre>{@code
 * ModelUpgrade.Result r = ModelUpgrade.upgrade(Path.of("models/springs5"));
 * }</pre>
 */
public final class ModelUpgrade {
    /**
     * Largest difference allowed between the new and the old files' outputs: absolute for the encoder's
     * probabilities, absolute within +-1 and relative beyond for the rollout ({@link #rolloutParity}).
     */
    public static final double TOLERANCE = 1e-5;
    private static final int HORIZON = 10;
    private static final int LOOP_STEPS = 2;

    /**
     * @param rollout the rollout file written
     * @param silentTypes the edge types that send no messages
     * @param rolloutMaxAbsDiff the largest |sparse - dense| / max(1, |dense|) seen
     * @param eluNodesRewritten encoder Elu nodes rewritten (0 when it had none left)
     * @param encoderMaxAbsDiff the largest |new - old| of the encoder's probabilities (0 when not rewritten)
     */
    public record Result(Path rollout, int[] silentTypes, double rolloutMaxAbsDiff, int eluNodesRewritten,
            double encoderMaxAbsDiff) {
    }

    private ModelUpgrade() {
    }

    /**
     * Upgrades {@code modelDir} in place.
     *
     * @throws ModelException when the directory is not a model, its decoder is not this project's MLP decoder, or
     *     a parity check fails (then nothing in the directory changes)
     */
    public static Result upgrade(Path modelDir) throws IOException {
        ModelDirectory dir = ModelDirectory.open(modelDir);
        String unsupported = unsupported(dir.spec());
        if (unsupported != null) {
            throw new ModelException(unsupported);
        }
        OnnxMl.ModelProto dense = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.decoder()));
        DecoderWeights w;
        try {
            w = DecoderWeights.fromDenseDecoder(dense, dir.spec().edgeTypes());
        } catch (IllegalArgumentException e) {
            throw new ModelException(dir.decoder() + ": " + e.getMessage(), e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto p : dense.getMetadataPropsList()) {
            meta.put(p.getKey(), p.getValue());
        }
        byte[] rollout = SparseRolloutExporter.forModel(w, dir.spec()).rollout(meta).toByteArray();
        OnnxMl.ModelProto encoder = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.encoder()));
        int elus = EluRewrite.count(encoder);
        Path scratch = Files.createTempDirectory("nri-upgrade-");
        try {
            Path json = dir.path().resolve(ModelSpec.FILE_NAME);
            Files.copy(json, scratch.resolve(ModelSpec.FILE_NAME));
            Files.copy(dir.encoder(), scratch.resolve(dir.spec().encoderFileOrDefault()));
            Files.copy(dir.decoder(), scratch.resolve(dir.spec().decoderFileOrDefault()));
            Files.write(scratch.resolve(ModelSpec.ROLLOUT_FILE), rollout);
            ModelDirectory check = ModelDirectory.open(scratch);
            double rolloutDiff = rolloutParity(check);
            if (!(rolloutDiff <= TOLERANCE)) {
                throw new ModelException("the sparse rollout built from " + dir.decoder() + " differs from the dense "
                        + "decoder by " + rolloutDiff + " (tolerance " + TOLERANCE + "); nothing written");
            }
            double encoderDiff = 0;
            Path newEncoder = scratch.resolve("encoder.rewritten.onnx");
            if (elus > 0) {
                Files.write(newEncoder, EluRewrite.apply(encoder).toByteArray());
                encoderDiff = encoderParity(check, newEncoder);
                if (!(encoderDiff <= TOLERANCE)) {
                    throw new ModelException("the rewritten encoder differs from " + dir.encoder() + " by "
                            + encoderDiff + " (tolerance " + TOLERANCE + "); nothing written");
                }
            }
            Path target = dir.path().resolve(ModelSpec.ROLLOUT_FILE);
            Files.move(scratch.resolve(ModelSpec.ROLLOUT_FILE), target, StandardCopyOption.REPLACE_EXISTING);
            if (elus > 0) {
                Files.move(newEncoder, dir.encoder(), StandardCopyOption.REPLACE_EXISTING);
            }
            return new Result(target, w.silentTypes(), rolloutDiff, elus, encoderDiff);
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }

    /**
     * Why {@link #upgrade} has nothing to do for a model, or null when it applies: the sparse rollout is built
     * from the MLP decoder's graph, and a recurrent model's files are written in their final form by the export.
     */
    public static String unsupported(ModelSpec spec) {
        if (spec.recurrentDecoder()) {
            return "model " + spec.modelId() + " has decoder_kind " + ModelSpec.DECODER_RECURRENT + ": "
                    + ModelSpec.ROLLOUT_FILE + " is built from the MLP decoder, and the recurrent one rolls out its "
                    + "one-step graph; its files are already in the form this version exports (nothing to upgrade)";
        }
        return null;
    }

    /**
     * The largest difference between the sparse and the dense rollout, each value's |sparse - dense| divided by
     * max(1, |dense|) (absolute within +-1, relative beyond): of a {@value #LOOP_STEPS}-step rollout from random
     * start states through the sparse graph's loop, and of one step taken by each from every state of a 10-step
     * dense rollout, there further divided by max(1, the largest |value| of that state) (float32 rounds a product of
     * inputs in the hundreds to 1e-5 of them). Soft, hard and one-type edge weights; the trained N and 11 atoms.
     * Step by step rather than 10 steps free-running: a model of a sensitive system (charged particles, from random
     * states) multiplies a rounding difference of 4e-7 about 2.3-fold per step, so two exact implementations summing
     * in another order drift 5e-4 apart in 10 steps, and its states wander into the hundreds.
     */
    public static double rolloutParity(ModelDirectory dir) {
        ModelSpec spec = dir.spec();
        NriOnnxModel.Options cpu = cpu();
        double worst = 0;
        try (NriOnnxModel dense = NriOnnxModel.open(dir, cpu.withDecoderPath(NriOnnxModel.DecoderPath.DENSE));
                NriOnnxModel sparse = NriOnnxModel.open(dir, cpu.withDecoderPath(NriOnnxModel.DecoderPath.SPARSE))) {
            if (sparse.decoderPath() != NriOnnxModel.DecoderPath.SPARSE) {
                throw new ModelException(dir.path() + " has no usable " + ModelSpec.ROLLOUT_FILE);
            }
            SplittableRandom r = new SplittableRandom(20261205);
            int k = spec.edgeTypes();
            for (int n : atomCounts(spec)) {
                int b = 3;
                float[] state = uniform(r, b * n * spec.features());
                float[] soft = randomProbs(r, b * EdgeOrder.edgeCount(n), k);
                float[][] cases = {soft, NriOnnxModel.hardEdges(soft, k), oneType(b * EdgeOrder.edgeCount(n), k,
                        Math.max(0, spec.noEdgeTypeOrNone()))};
                int f = spec.features();
                for (float[] w : cases) {
                    // every step of the dense rollout's path, taken once by each from the same state
                    float[] path = dense.rollout(state, w, b, n, HORIZON); // [B, H, N, D]
                    float[] from = state;
                    for (int step = 0; step < HORIZON; step++) {
                        worst = Math.max(worst, maxScaledDiff(sparse.rollout(from, w, b, n, 1),
                                dense.rollout(from, w, b, n, 1)) / Math.max(1.0, maxAbs(from)));
                        from = new float[b * n * f];
                        for (int s = 0; s < b; s++) {
                            System.arraycopy(path, (s * HORIZON + step) * n * f, from, s * n * f, n * f);
                        }
                    }
                    // and the rollout's own loop, which carries its state from step to step
                    worst = Math.max(worst, maxScaledDiff(sparse.rollout(state, w, b, n, LOOP_STEPS),
                            dense.rollout(state, w, b, n, LOOP_STEPS)));
                }
            }
        }
        return worst;
    }

    private static double encoderParity(ModelDirectory dir, Path rewritten) throws IOException {
        ModelSpec spec = dir.spec();
        Path other = Files.createTempDirectory("nri-upgrade-encoder-");
        try {
            Files.copy(dir.path().resolve(ModelSpec.FILE_NAME), other.resolve(ModelSpec.FILE_NAME));
            Files.copy(rewritten, other.resolve(spec.encoderFileOrDefault()));
            Files.copy(dir.decoder(), other.resolve(spec.decoderFileOrDefault()));
            double worst = 0;
            try (NriOnnxModel a = NriOnnxModel.open(dir, cpu());
                    NriOnnxModel b = NriOnnxModel.open(ModelDirectory.open(other), cpu())) {
                SplittableRandom r = new SplittableRandom(20261206);
                for (int n : atomCounts(spec)) {
                    float[] x = uniform(r, 3 * n * spec.windowLength() * spec.features());
                    worst = Math.max(worst, maxAbsDiff(a.encode(x, 3, n), b.encode(x, 3, n)));
                }
            }
            return worst;
        } finally {
            try (var files = Files.list(other)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(other);
        }
    }

    private static NriOnnxModel.Options cpu() {
        return NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU);
    }

    private static int[] atomCounts(ModelSpec spec) {
        return spec.acceptsAtoms(11) && spec.atoms() != 11 ? new int[] {spec.atoms(), 11} : new int[] {spec.atoms()};
    }

    private static float[] uniform(SplittableRandom r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Largest |a - b| / max(1, |b|); infinite when either is NaN. */
    static double maxScaledDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(b[i]));
            worst = Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
        }
        return worst;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            worst = Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
        }
        return worst;
    }

    static float[] randomProbs(SplittableRandom r, int edges, int k) {
        float[] p = new float[edges * k];
        for (int e = 0; e < edges; e++) {
            double sum = 0;
            for (int t = 0; t < k; t++) {
                double v = Math.exp(3 * (r.nextDouble() * 2 - 1));
                p[e * k + t] = (float) v;
                sum += v;
            }
            for (int t = 0; t < k; t++) {
                p[e * k + t] /= (float) sum;
            }
        }
        return p;
    }

    private static float[] oneType(int edges, int k, int type) {
        float[] p = new float[edges * k];
        for (int e = 0; e < edges; e++) {
            p[e * k + type] = 1f;
        }
        return p;
    }
}
