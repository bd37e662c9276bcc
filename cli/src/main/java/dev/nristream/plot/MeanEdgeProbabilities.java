package dev.nristream.plot;

import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.export.LargeStack;
import java.util.function.IntPredicate;

/**
 * A model's edge-type probabilities averaged over a split's windows: the encoder (through ONNX Runtime, as the stream
 * runs it) sees each sample's first {@code window_length} frames, and the probabilities it publishes (calibrated
 * when model.json says so) are averaged per edge and type.
 *
 * <pre>{@code
 * ModelDirectory dir = ModelDirectory.open(Path.of("models/springs5"));
 * NriDataset test = NriDataset.load(data, "test", "_springs5", dir.spec().normalisation());
 * MeanEdgeProbabilities p = MeanEdgeProbabilities.compute(dir, test, 500, 2);
 * double[][] edge = p.directed(k -> k != dir.spec().noEdgeTypeOrNone());   // [receiver][sender]
 * }</pre>
 *
 * @param mean flat [E, K] in the contract's edge order ({@link EdgeOrder})
 * @param windows how many windows the mean is over
 */
public record MeanEdgeProbabilities(ModelSpec spec, int atoms, int windows, double[] mean) {
    private static final int BATCH = 32;

    /**
     * Runs the encoder on the first {@code maxSamples} samples of {@code data} (all when it has fewer).
     *
     * @throws IllegalArgumentException when the model does not take the dataset's agents, features or sample length
     */
    public static MeanEdgeProbabilities compute(ModelDirectory dir, NriDataset data, int maxSamples, int threads) {
        ModelSpec spec = dir.spec();
        int t = spec.windowLength();
        if (!spec.acceptsAtoms(data.atoms())) {
            throw new IllegalArgumentException("model " + spec.modelId() + " takes " + spec.atoms() + " agents, "
                    + data.name() + " has " + data.atoms());
        }
        if (spec.features() != data.dims()) {
            throw new IllegalArgumentException("model " + spec.modelId() + " takes " + spec.features() + " features "
                    + spec.featureLayout() + ", " + data.name() + " has " + data.featureLayout());
        }
        if (data.timesteps() < t) {
            throw new IllegalArgumentException(data.name() + " has samples of " + data.timesteps() + " steps, shorter "
                    + "than the model's " + t + "-frame window");
        }
        int samples = Math.min(maxSamples, data.size());
        if (samples < 1) {
            throw new IllegalArgumentException(data.name() + " has no samples");
        }
        int n = data.atoms();
        int k = spec.edgeTypes();
        double[] sum = new double[EdgeOrder.edgeCount(n) * k];
        // ONNX Runtime needs a deeper stack than the JVM's default when it creates its session.
        LargeStack.call(() -> {
            try (NriOnnxModel model = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults()
                    .withIntraOpThreads(threads).withDevice(NriOnnxModel.Device.CPU))) {
                for (int from = 0; from < samples; from += BATCH) {
                    int b = Math.min(BATCH, samples - from);
                    int[] idx = new int[b];
                    for (int i = 0; i < b; i++) {
                        idx[i] = from + i;
                    }
                    float[] p = spec.calibration().apply(model.encode(data.gather(idx, 0, t), b, n, t), k);
                    for (int i = 0; i < p.length; i++) {
                        sum[i % sum.length] += p[i];
                    }
                }
            }
            return null;
        });
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= samples;
        }
        return new MeanEdgeProbabilities(spec, n, samples, sum);
    }

    public int edgeTypes() {
        return spec.edgeTypes();
    }

    /** Mean probability of type {@code type} on the edge from {@code sender} to {@code receiver}. */
    public double probability(int receiver, int sender, int type) {
        return mean[EdgeOrder.index(receiver, sender, atoms) * edgeTypes() + type];
    }

    /** [receiver][sender]: the mean probability summed over the types {@code types} accepts; NaN on the diagonal. */
    public double[][] directed(IntPredicate types) {
        double[][] m = new double[atoms][atoms];
        for (int i = 0; i < atoms; i++) {
            for (int j = 0; j < atoms; j++) {
                if (i == j) {
                    m[i][j] = Double.NaN;
                    continue;
                }
                for (int type = 0; type < edgeTypes(); type++) {
                    if (types.test(type)) {
                        m[i][j] += probability(i, j, type);
                    }
                }
            }
        }
        return m;
    }

    /** A symmetric matrix: each pair's value, the mean of its two directions (NaN on the diagonal). */
    public static double[][] undirected(double[][] directed) {
        int n = directed.length;
        double[][] u = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                u[i][j] = i == j ? Double.NaN : (directed[i][j] + directed[j][i]) / 2;
            }
        }
        return u;
    }
}
