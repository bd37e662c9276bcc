package dev.nristream.trainer.baseline;

/**
 * Architecture and loss settings of the LSTM (joint) baseline ({@link LstmBaseline}).
 *
 * @param atoms N objects per scene
 * @param dims D features per object and step (4: x, y, vx, vy; 6 with z)
 * @param timesteps T steps per training window
 * @param hidden width of the input MLP, of every LSTM layer and of the output MLP
 * @param layers stacked LSTM layers (the reference code: 2)
 * @param predictionSteps M: training feeds the true states for the burn-in (steps 0 .. T - M) and the model's own
 *     predictions after that, as the NRI decoders train
 * @param variance output variance of the Gaussian likelihood (the reference's 5e-5)
 */
public record LstmConfig(int atoms, int dims, int timesteps, int hidden, int layers, int predictionSteps,
        double variance) {
    public static final int DEFAULT_HIDDEN = 256;
    public static final int DEFAULT_LAYERS = 2;
    public static final int DEFAULT_PREDICTION_STEPS = 10;
    public static final double DEFAULT_VARIANCE = 5e-5;

    public LstmConfig {
        if (atoms < 2) {
            throw new IllegalArgumentException("--atoms must be >= 2, got " + atoms);
        }
        if (dims < 1) {
            throw new IllegalArgumentException("--dims must be >= 1, got " + dims);
        }
        if (timesteps < 2) {
            throw new IllegalArgumentException("--timesteps must be >= 2, got " + timesteps);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("--hidden must be >= 1, got " + hidden);
        }
        if (layers < 1) {
            throw new IllegalArgumentException("--layers must be >= 1, got " + layers);
        }
        if (predictionSteps < 1 || predictionSteps >= timesteps) {
            throw new IllegalArgumentException("--prediction-steps must be in 1 .. " + (timesteps - 1)
                    + " (T - 1 for --timesteps " + timesteps + "), got " + predictionSteps);
        }
        if (!(variance > 0)) {
            throw new IllegalArgumentException("--var must be > 0, got " + variance);
        }
    }

    /** The reference's defaults for everything but the data's shape. */
    public static LstmConfig defaults(int atoms, int dims, int timesteps) {
        return new LstmConfig(atoms, dims, timesteps, DEFAULT_HIDDEN, DEFAULT_LAYERS, DEFAULT_PREDICTION_STEPS,
                DEFAULT_VARIANCE);
    }

    /** Features of one scene state, N * D: the joint vector the LSTM sees. */
    public int width() {
        return atoms * dims;
    }

    /** The last step whose true state is an input in training (T - M; the reference's burn_in_steps). */
    public int burnIn() {
        return timesteps - predictionSteps;
    }
}
