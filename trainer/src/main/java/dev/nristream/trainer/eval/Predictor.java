package dev.nristream.trainer.eval;

/**
 * What evaluation needs from a model, so the trained (DJL) network and the exported (ONNX) graphs are evaluated by
 * the same code. Arrays are flat, row-major, normalised.
 */
public interface Predictor extends AutoCloseable {
    /** Edge-type scores [B, E, K] (logits or log-probabilities: any per-edge monotone transform of them). */
    float[] edgeScores(float[] trajectories, int batch, int atoms);

    /**
     * Edge weights [B, E, K] given to the model rather than inferred (the baselines {@code --graph full}: the fully
     * connected graph, and {@code --graph true}: the samples' own graph, one-hot of {@code labels} [B * E]), or null
     * when {@link #edgeScores} infers them. With given weights there is no edge accuracy or calibration to measure.
     */
    default float[] fixedEdgeWeights(int[] labels, int batch, int atoms) {
        return null;
    }

    /** Where the decoder's graph comes from, as {@code --graph} names it: learned, full, true or supervised. */
    default String graph() {
        return "learned";
    }

    /** Whether the model forecasts trajectories; a supervised encoder ({@code --graph supervised}) does not. */
    default boolean hasDecoder() {
        return true;
    }

    /** Open-loop rollout of {@code steps} steps from state [B, N, D] with edge weights [B, E, K]: [B, steps, N, D]. */
    float[] rollout(float[] state, float[] edgeWeights, int batch, int atoms, int steps);

    /**
     * How many of the most recent true frames the decoder consumes before its forecast: 1 for the MLP decoder,
     * the burn-in for the recurrent one.
     */
    default int decoderFrames() {
        return 1;
    }

    /**
     * The {@code steps} states after the last of {@code frames} true frames [B, N, W, D]: a burn-in on them for the
     * recurrent decoder, a rollout from the last for the MLP one. Result [B, steps, N, D].
     */
    default float[] rolloutWindow(float[] window, int frames, float[] edgeWeights, int batch, int atoms, int steps) {
        int d = window.length / (batch * atoms * frames);
        float[] last = new float[batch * atoms * d];
        for (int ba = 0; ba < batch * atoms; ba++) {
            System.arraycopy(window, (ba * frames + frames - 1) * d, last, ba * d, d);
        }
        return rollout(last, edgeWeights, batch, atoms, steps);
    }

    /** A decoder advanced one step at a time, with edge weights that may change between steps. */
    interface Stepper {
        /** Predicts the state after {@code state} [B, N, D] under {@code edgeWeights} [B, E, K]. */
        float[] step(float[] state, float[] edgeWeights);
    }

    /** A fresh {@link Stepper} (a recurrent decoder's starts from the zero hidden state). */
    default Stepper stepper(int batch, int atoms) {
        return (state, w) -> rollout(state, w, batch, atoms, 1);
    }

    @Override
    void close();
}
