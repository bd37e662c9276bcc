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
 * Adds the sparse {@code rollout.onnx} to an existing model directory, built from the weights in its dense
 * {@code decoder.onnx} (no retraining, no checkpoint needed), and keeps it only when both paths agree: random
 * states rolled out 10 steps with soft, hard and all-silent edge weights, at the trained N and at 11 atoms, must
 * match to {@link #TOLERANCE}.
 *
 * <pre>{@code
 * DecoderUpgrade.Result r = DecoderUpgrade.upgrade(Path.of("models/springs5"));
 * }</pre>
 */
public final class DecoderUpgrade {
    /** Largest absolute difference allowed between the sparse and the dense rollout. */
    public static final double TOLERANCE = 1e-5;
    private static final int HORIZON = 10;

    /**
     * @param file the rollout file written
     * @param silentTypes the edge types that send no messages
     * @param maxAbsDiff the largest difference seen in the parity check
     */
    public record Result(Path file, int[] silentTypes, double maxAbsDiff) {
    }

    private DecoderUpgrade() {
    }

    /**
     * Writes {@code rollout.onnx} into {@code modelDir} (replacing an older one) and checks parity.
     *
     * @throws ModelException when the directory is not a model, its decoder is not this project's MLP decoder, or
     *     the parity check fails (the new file is then removed and an older one kept)
     */
    public static Result upgrade(Path modelDir) throws IOException {
        ModelDirectory dir = ModelDirectory.open(modelDir);
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
        byte[] bytes = new SparseRolloutExporter(w).rollout(meta).toByteArray();
        // Checked in a scratch copy of the directory, so a failing graph never replaces a working one.
        Path scratch = Files.createTempDirectory("nri-upgrade-");
        try {
            for (Path f : new Path[] {dir.path().resolve(ModelSpec.FILE_NAME), dir.encoder(), dir.decoder()}) {
                Files.copy(f, scratch.resolve(dir.path().relativize(f).toString()));
            }
            Files.write(scratch.resolve(ModelSpec.ROLLOUT_FILE), bytes);
            double diff = parity(ModelDirectory.open(scratch));
            if (!(diff <= TOLERANCE)) {
                throw new ModelException("the sparse rollout built from " + dir.decoder() + " differs from the dense "
                        + "decoder by " + diff + " (tolerance " + TOLERANCE + "); " + ModelSpec.ROLLOUT_FILE
                        + " not written");
            }
            Path target = dir.path().resolve(ModelSpec.ROLLOUT_FILE);
            Files.move(scratch.resolve(ModelSpec.ROLLOUT_FILE), target, StandardCopyOption.REPLACE_EXISTING);
            return new Result(target, w.silentTypes(), diff);
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }

    /** Largest |sparse - dense| over the rollouts described in the class comment. */
    public static double parity(ModelDirectory dir) {
        ModelSpec spec = dir.spec();
        NriOnnxModel.Options cpu = NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU);
        double worst = 0;
        try (NriOnnxModel dense = NriOnnxModel.open(dir, cpu.withDecoderPath(NriOnnxModel.DecoderPath.DENSE));
                NriOnnxModel sparse = NriOnnxModel.open(dir, cpu.withDecoderPath(NriOnnxModel.DecoderPath.SPARSE))) {
            if (sparse.decoderPath() != NriOnnxModel.DecoderPath.SPARSE) {
                throw new ModelException(dir.path() + " has no usable " + ModelSpec.ROLLOUT_FILE);
            }
            SplittableRandom r = new SplittableRandom(20261205);
            int k = spec.edgeTypes();
            for (int n : new int[] {spec.atoms(), 11}) {
                if (!spec.acceptsAtoms(n)) {
                    continue;
                }
                int b = 3;
                float[] state = new float[b * n * spec.features()];
                for (int i = 0; i < state.length; i++) {
                    state[i] = (float) (r.nextDouble() * 2 - 1);
                }
                float[] soft = randomProbs(r, b * EdgeOrder.edgeCount(n), k);
                float[][] cases = {soft, NriOnnxModel.hardEdges(soft, k), oneType(b * EdgeOrder.edgeCount(n), k,
                        Math.max(0, spec.noEdgeTypeOrNone()))};
                for (float[] w : cases) {
                    float[] a = dense.rollout(state, w, b, n, HORIZON);
                    float[] s = sparse.rollout(state, w, b, n, HORIZON);
                    for (int i = 0; i < a.length; i++) {
                        worst = Math.max(worst, Math.abs(a[i] - s[i]));
                        if (Float.isNaN(a[i]) != Float.isNaN(s[i])) {
                            worst = Double.POSITIVE_INFINITY;
                        }
                    }
                }
            }
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
