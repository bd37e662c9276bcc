package dev.nristream.trainer.model;

/**
 * Useful floating-point operations of the NRI networks counted from the layer shapes of the paper's formulation
 * (every linear layer as a dense product of its rows by its [in, out] weight, 2 * rows * in * out), whatever shortcut
 * the implementation takes: a benchmark divides these by its time to get an achieved rate that stays comparable
 * across implementations. Element-wise work (biases, activations, batch norm, loss) and the node/edge gathers are
 * not counted; they are what the achieved rate loses against the machine's SGEMM rate.
 *
 * <pre>{@code
 * StepFlops f = StepFlops.trainingStep(cfg, 128);   // forward + backward of one batch
 * double gflops = f.total() / 1e9 / secondsPerBatch;
 * }</pre>
 *
 * @param encoder the MLP encoder (node MLP, edge MLP, node MLP, edge MLP, output layer) or the CNN encoder (its two
 *     convolutions over time and two 1x1 heads per edge, then edge MLP, node MLP, edge MLP, output layer)
 * @param decoderMessages the decoder's message MLPs over every edge of every sending edge type, step and restart
 *     (the recurrent decoder: on the hidden states, at each of its T - 1 steps)
 * @param decoderOutput the decoder's node work at every step and restart: the MLP decoder's output MLP; the recurrent
 *     decoder's gates (3 products of the input, 3 of the aggregated messages) and output MLP
 */
public record StepFlops(double encoder, double decoderMessages, double decoderOutput) {
    /**
     * Backward of a product costs two products of the same size (gradients of the input and of the weight), so a
     * training step is three times the forward products.
     */
    public static final int TRAINING_FACTOR = 3;

    /** Total of the three parts. */
    public double total() {
        return encoder + decoderMessages + decoderOutput;
    }

    /** Forward and backward of one training step ({@link NriModel#forward} with training = true) on a batch. */
    public static StepFlops trainingStep(NriConfig cfg, int batch) {
        return forward(cfg, batch, cfg.predictionSteps()).times(TRAINING_FACTOR);
    }

    /**
     * Forward products of the encoder on a batch of {@code cfg.timesteps()}-step windows and of the decoder's
     * rollout over the same window with restarts every {@code predictionSteps} steps.
     */
    public static StepFlops forward(NriConfig cfg, int batch, int predictionSteps) {
        long n = cfg.atoms();
        long e = cfg.edges();
        long h = cfg.encoderHidden();
        double nodes = (double) batch * n;
        double edgeRows = (double) batch * e;
        double enc = !cfg.hasEncoder() ? 0
                : cfg.encoder() == NriConfig.EncoderKind.CNN ? cnnEncoder(cfg, edgeRows, nodes)
                : mlp(nodes, (long) cfg.encoderWindow() * cfg.dims(), h)
                        + mlp(edgeRows, 2 * h, h)
                        + mlp(nodes, h, h)
                        + mlp(edgeRows, 3 * h, h)
                        + product(edgeRows, h, cfg.edgeTypes());
        if (!cfg.hasDecoder()) { // a supervised encoder: no rollout
            return new StepFlops(enc, 0, 0);
        }
        long d = cfg.dims();
        long hd = cfg.decoderHidden();
        long sendingTypes = cfg.edgeTypes() - (cfg.skipFirst() ? 1 : 0);
        if (cfg.decoder() == NriConfig.DecoderKind.RECURRENT) {
            // One pass over the window: T - 1 steps whatever M (M only picks which inputs are its own predictions).
            double steps = (double) batch * (cfg.timesteps() - 1);
            double msg = steps * e * sendingTypes * (perRow(2 * hd, hd) + perRow(hd, hd));
            double node = steps * n * (3 * perRow(d, hd) + 3 * perRow(hd, hd) + 2 * perRow(hd, hd) + perRow(hd, d));
            return new StepFlops(enc, msg, node);
        }
        // The rollout restarts from every predictionSteps-th true state and runs predictionSteps steps from each.
        long starts = (cfg.timesteps() + predictionSteps - 1) / predictionSteps;
        double steps = (double) predictionSteps * batch * starts;
        double msg = steps * e * sendingTypes * (perRow(2 * d, hd) + perRow(hd, hd));
        double out = steps * n * (perRow(d + hd, hd) + perRow(hd, hd) + perRow(hd, d));
        return new StepFlops(enc, msg, out);
    }

    /**
     * The CNN encoder: conv(5) over 2D channels on T - 4 steps, max pool(2), conv(5) on the L remaining steps, the
     * two 1x1 heads (H features, 1 attention weight) on those L, then the factor-graph MLPs and the output layer.
     */
    private static double cnnEncoder(NriConfig cfg, double edgeRows, double nodes) {
        long h = cfg.encoderHidden();
        long first = cfg.encoderWindow() - 4;
        long last = first / 2 - 4;
        return product(edgeRows * first, 2L * cfg.dims() * 5, h)
                + product(edgeRows * last, 5 * h, h)
                + product(edgeRows * last, h, h)
                + product(edgeRows * last, h, 1)
                + mlp(edgeRows, h, h)
                + mlp(nodes, h, h)
                + mlp(edgeRows, 3 * h, h)
                + product(edgeRows, h, cfg.edgeTypes());
    }

    /** Linear-activation-linear block of the encoder: in -> h -> h. */
    private static double mlp(double rows, long in, long h) {
        return product(rows, in, h) + product(rows, h, h);
    }

    private static double product(double rows, long in, long out) {
        return rows * perRow(in, out);
    }

    private static double perRow(long in, long out) {
        return 2.0 * in * out;
    }

    private StepFlops times(double f) {
        return new StepFlops(encoder * f, decoderMessages * f, decoderOutput * f);
    }
}
