package dev.nristream.trainer.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nristream.model.ReflectingWalls;
import java.util.Arrays;
import java.util.Objects;

/**
 * Architecture and loss settings of an NRI model; the defaults are the paper's (section 3, springs experiments).
 *
 * <pre>{@code
 * NriConfig cfg = NriConfig.builder().atoms(5).timesteps(49).build();
 * }</pre>
 *
 * @param atoms number of interacting objects N the model is trained on (the exported graphs accept any N)
 * @param timesteps encoder window length T
 * @param dims features per object and step D (springs: x, y, vx, vy)
 * @param edgeTypes number of edge types K
 * @param encoderHidden encoder width H
 * @param decoderHidden decoder width (message and node MLPs)
 * @param skipFirst edge type 0 is the hard-coded "no edge" type (sends no messages)
 * @param tau Gumbel-softmax temperature
 * @param hard straight-through hard samples instead of soft Concrete samples
 * @param variance fixed output variance of the Gaussian likelihood
 * @param prior prior over edge types for the KL term, or null for uniform
 * @param predictionSteps M: steps the decoder feeds its own predictions back before restarting from the truth
 * @param encoderDropout dropout after the first layer of each encoder MLP
 * @param decoderDropout dropout in the decoder's MLPs
 * @param encoder the factor-graph MLP encoder (the springs models) or the CNN encoder of the paper's supplement
 *     (basketball); null in older run.json files means MLP
 * @param decoder the MLP decoder (Eqs. 10-12, springs) or the recurrent one (Eqs. 13-17, motion capture and
 *     basketball); null in run.json files from before the choice means MLP
 * @param encoderSteps how many of the first steps of each T-step window the encoder sees (the basketball model:
 *     17 of 25, the graph inferred from the recent past while the decoder is trained on all T); null (absent in
 *     run.json, as in older runs) for all T, and a value equal to T is stored as null
 * @param graph LEARNED (NRI: the encoder infers the graph), or one of the paper's baselines: FULL (the decoder on a
 *     fully connected graph, every edge of the one message-passing type, no encoder, no KL term), TRUE (the decoder
 *     on each sample's true graph, no encoder) or SUPERVISED (the encoder alone, trained on the true edge types, no
 *     decoder); null (absent in run.json, as in older runs) means LEARNED, which is also left out of the JSON
 * @param walls the simulation box the MLP decoder reflects every predicted state at ({@link ReflectingWalls}), so
 *     that it learns free motion and a bounce costs it nothing; null (absent in run.json, as in older runs): none
 */
public record NriConfig(
        int atoms,
        int timesteps,
        int dims,
        int edgeTypes,
        int encoderHidden,
        int decoderHidden,
        boolean skipFirst,
        double tau,
        boolean hard,
        double variance,
        double[] prior,
        int predictionSteps,
        double encoderDropout,
        double decoderDropout,
        EncoderKind encoder,
        DecoderKind decoder,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer encoderSteps,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = GraphKind.LearnedFilter.class)
        GraphKind graph,
        @JsonInclude(JsonInclude.Include.NON_NULL) ReflectingWalls walls) {

    /**
     * Where the decoder's graph comes from: inferred by the encoder (NRI), or one of the paper's baselines (Tables 1
     * and 2), which show what the unsupervised model is missing: the fully connected graph, the true graph, or an
     * encoder taught the true graph.
     */
    public enum GraphKind {
        /** The encoder infers a distribution over edge types; edges are Gumbel-softmax samples of it (NRI). */
        LEARNED,
        /**
         * The paper's "full graph" baseline: every directed pair gets the one message-passing edge type as a fixed
         * one-hot weight; no encoder, loss = reconstruction NLL only.
         */
        FULL,
        /**
         * The paper's "true graph" baseline (Table 2): the decoder on each sample's own edge types from the
         * simulation, one-hot; no encoder, loss = reconstruction NLL only. The best a decoder of this kind can do
         * with a perfect encoder.
         */
        TRUE,
        /**
         * The paper's "supervised" baseline (Table 1): the encoder alone, trained with cross-entropy on the true
         * edge types; no decoder. The best edge accuracy an encoder of this kind reaches when told the answer.
         */
        SUPERVISED;

        /** The value of {@code --graph} that selects this kind. */
        public String flag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Jackson include filter: LEARNED (the default) is left out of run.json and model metadata. */
        static final class LearnedFilter {
            @Override
            public boolean equals(Object o) {
                return o == null || o == LEARNED;
            }

            @Override
            public int hashCode() {
                return 0;
            }
        }
    }

    /** Which encoder: the factor-graph MLP encoder or the CNN encoder (supplement, section B). */
    public enum EncoderKind {
        /** An MLP over each node's flattened trajectory, then the factor-graph rounds (Eqs. 5-8). */
        MLP,
        /**
         * 1D convolutions over time on each edge's pair of trajectories with attention pooling, then the same
         * factor-graph rounds; any window of 14 or more steps at inference.
         */
        CNN
    }

    /** Which decoder: the paper's MLP decoder or its recurrent (GRU) decoder. */
    public enum DecoderKind {
        /** Markovian: the next state from the current one and the messages (Eqs. 10-12). */
        MLP,
        /**
         * A GRU per node carries a hidden state through time, so non-Markovian dynamics (a walking body, a play)
         * can be modelled (Eqs. 13-17); trained with a burn-in on the true states before predicting its own.
         */
        RECURRENT
    }

    public static final int DEFAULT_ATOMS = 5;
    public static final int DEFAULT_TIMESTEPS = 49;
    public static final int DEFAULT_DIMS = 4;
    public static final int DEFAULT_EDGE_TYPES = 2;
    public static final int DEFAULT_HIDDEN = 256;
    public static final double DEFAULT_TAU = 0.5;
    public static final double DEFAULT_VARIANCE = 5e-5;
    public static final int DEFAULT_PREDICTION_STEPS = 10;

    public NriConfig {
        require(atoms >= 2, "atoms must be >= 2, got " + atoms);
        require(timesteps >= 2, "timesteps must be >= 2, got " + timesteps);
        require(dims >= 1, "dims must be >= 1, got " + dims);
        require(edgeTypes >= 2, "edge types must be >= 2, got " + edgeTypes);
        require(encoderHidden >= 1 && decoderHidden >= 1, "hidden sizes must be positive");
        require(tau > 0, "tau must be > 0, got " + tau);
        require(variance > 0, "variance must be > 0, got " + variance);
        require(predictionSteps >= 1 && predictionSteps <= timesteps,
                "prediction steps must be in [1, timesteps], got " + predictionSteps);
        require(encoderDropout >= 0 && encoderDropout < 1 && decoderDropout >= 0 && decoderDropout < 1,
                "dropout must be in [0, 1)");
        encoder = encoder == null ? EncoderKind.MLP : encoder;
        decoder = decoder == null ? DecoderKind.MLP : decoder;
        graph = graph == null ? GraphKind.LEARNED : graph;
        if (walls != null) {
            require(decoder == DecoderKind.MLP, "walls are implemented for the MLP decoder only, not --decoder "
                    + decoder.name().toLowerCase(java.util.Locale.ROOT));
            require(graph != GraphKind.SUPERVISED, "--graph supervised has no decoder; walls do not apply");
            require(dims % 2 == 0, "walls need positions and velocities (an even number of features), got dims "
                    + dims);
        }
        if (graph == GraphKind.TRUE || graph == GraphKind.SUPERVISED) {
            require(prior == null, "--graph " + graph.flag() + " has no KL term; --prior does not apply");
        }
        if (graph == GraphKind.TRUE) {
            require(encoder == EncoderKind.MLP, "--graph true has no encoder; --encoder " + encoder.name()
                    .toLowerCase(java.util.Locale.ROOT) + " does not apply");
            require(encoderSteps == null || encoderSteps == timesteps,
                    "--graph true has no encoder; --encoder-steps does not apply");
        }
        if (graph == GraphKind.SUPERVISED) {
            require(decoder == DecoderKind.MLP, "--graph supervised trains the encoder alone; --decoder "
                    + decoder.name().toLowerCase(java.util.Locale.ROOT) + " does not apply");
        }
        if (graph == GraphKind.FULL) {
            require(encoder == EncoderKind.MLP, "--graph full has no encoder; --encoder " + encoder.name()
                    .toLowerCase(java.util.Locale.ROOT) + " does not apply");
            require(encoderSteps == null || encoderSteps == timesteps,
                    "--graph full has no encoder; --encoder-steps does not apply");
            require(prior == null, "--graph full has no edge distribution, so no KL term; --prior does not apply");
            require(edgeTypes - (skipFirst ? 1 : 0) == 1, "--graph full puts the one message-passing edge type on "
                    + "every pair: it needs --skip-first --edge-types 2 (type 0 the hard-coded \"no edge\", type 1 "
                    + "everywhere), got " + edgeTypes + " edge types" + (skipFirst ? "" : " without --skip-first"));
        }
        require(encoderSteps == null || (encoderSteps >= 1 && encoderSteps <= timesteps),
                "--encoder-steps must be in [1, --timesteps " + timesteps + "], got " + encoderSteps);
        encoderSteps = encoderSteps == null || encoderSteps == timesteps ? null : encoderSteps;
        int window = encoderSteps == null ? timesteps : encoderSteps;
        require(encoder != EncoderKind.CNN || window >= CnnEncoder.MIN_TIMESTEPS,
                "the CNN encoder needs windows of at least " + CnnEncoder.MIN_TIMESTEPS + " steps, got "
                        + (encoderSteps == null ? timesteps + " (--timesteps)" : encoderSteps + " (--encoder-steps)"));
        if (prior != null) {
            require(prior.length == edgeTypes,
                    "prior has " + prior.length + " entries but there are " + edgeTypes + " edge types");
            double sum = 0;
            for (double p : prior) {
                require(p > 0, "prior entries must be > 0: " + Arrays.toString(prior));
                sum += p;
            }
            require(Math.abs(sum - 1) < 1e-6, "prior must sum to 1: " + Arrays.toString(prior));
            prior = prior.clone();
        }
    }

    /** Number of ordered pairs (receiver, sender) for {@link #atoms}. */
    public int edges() {
        return atoms * (atoms - 1);
    }

    /** Steps of each window the encoder sees (its first {@link #encoderSteps}, or all {@link #timesteps}). */
    public int encoderWindow() {
        return encoderSteps == null ? timesteps : encoderSteps;
    }

    /** The decoder runs on the fully connected graph, without an encoder ({@code --graph full}). */
    public boolean fullGraph() {
        return graph == GraphKind.FULL;
    }

    /** The decoder's graph is given, not inferred: no encoder ({@code --graph full} or {@code --graph true}). */
    public boolean fixedGraph() {
        return graph == GraphKind.FULL || graph == GraphKind.TRUE;
    }

    /** The model has an encoder (learned or supervised graphs). */
    public boolean hasEncoder() {
        return !fixedGraph();
    }

    /** The model has a decoder (all but the supervised encoder). */
    public boolean hasDecoder() {
        return graph != GraphKind.SUPERVISED;
    }

    /** Training reads each sample's true edge types (the true-graph decoder and the supervised encoder). */
    public boolean trainsOnLabels() {
        return graph == GraphKind.TRUE || graph == GraphKind.SUPERVISED;
    }

    /** Index of the hard-coded "no edge" type, or -1. */
    public int noEdgeType() {
        return skipFirst ? 0 : -1;
    }

    public Builder toBuilder() {
        return new Builder()
                .atoms(atoms).timesteps(timesteps).dims(dims).edgeTypes(edgeTypes)
                .encoderHidden(encoderHidden).decoderHidden(decoderHidden).skipFirst(skipFirst).tau(tau).hard(hard)
                .variance(variance).prior(prior).predictionSteps(predictionSteps)
                .encoderDropout(encoderDropout).decoderDropout(decoderDropout).encoder(encoder)
                .decoder(decoder).encoderSteps(encoderSteps).graph(graph).walls(walls);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NriConfig c && atoms == c.atoms && timesteps == c.timesteps && dims == c.dims
                && edgeTypes == c.edgeTypes && encoderHidden == c.encoderHidden && decoderHidden == c.decoderHidden
                && skipFirst == c.skipFirst && tau == c.tau && hard == c.hard && variance == c.variance
                && Arrays.equals(prior, c.prior) && predictionSteps == c.predictionSteps
                && encoderDropout == c.encoderDropout && decoderDropout == c.decoderDropout && encoder == c.encoder
                && decoder == c.decoder && Objects.equals(encoderSteps, c.encoderSteps) && graph == c.graph
                && Objects.equals(walls, c.walls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(atoms, timesteps, dims, edgeTypes, encoderHidden, decoderHidden, skipFirst, tau, hard,
                variance, Arrays.hashCode(prior), predictionSteps, encoder, decoder, encoderSteps, graph, walls);
    }

    /** Builder with the paper's defaults. */
    public static final class Builder {
        private int atoms = DEFAULT_ATOMS;
        private int timesteps = DEFAULT_TIMESTEPS;
        private int dims = DEFAULT_DIMS;
        private int edgeTypes = DEFAULT_EDGE_TYPES;
        private int encoderHidden = DEFAULT_HIDDEN;
        private int decoderHidden = DEFAULT_HIDDEN;
        private boolean skipFirst;
        private double tau = DEFAULT_TAU;
        private boolean hard;
        private double variance = DEFAULT_VARIANCE;
        private double[] prior;
        private int predictionSteps = DEFAULT_PREDICTION_STEPS;
        private double encoderDropout;
        private double decoderDropout;
        private EncoderKind encoder = EncoderKind.MLP;
        private DecoderKind decoder = DecoderKind.MLP;
        private Integer encoderSteps;
        private GraphKind graph = GraphKind.LEARNED;
        private ReflectingWalls walls;

        public Builder atoms(int v) { atoms = v; return this; }
        public Builder timesteps(int v) { timesteps = v; return this; }
        public Builder dims(int v) { dims = v; return this; }
        public Builder edgeTypes(int v) { edgeTypes = v; return this; }
        public Builder encoderHidden(int v) { encoderHidden = v; return this; }
        public Builder decoderHidden(int v) { decoderHidden = v; return this; }
        public Builder hidden(int v) { encoderHidden = v; decoderHidden = v; return this; }
        public Builder skipFirst(boolean v) { skipFirst = v; return this; }
        public Builder tau(double v) { tau = v; return this; }
        public Builder hard(boolean v) { hard = v; return this; }
        public Builder variance(double v) { variance = v; return this; }
        public Builder prior(double[] v) { prior = v; return this; }
        public Builder predictionSteps(int v) { predictionSteps = v; return this; }
        public Builder encoderDropout(double v) { encoderDropout = v; return this; }
        public Builder decoderDropout(double v) { decoderDropout = v; return this; }
        public Builder encoder(EncoderKind v) { encoder = v; return this; }
        public Builder decoder(DecoderKind v) { decoder = v; return this; }
        /** Steps the encoder sees from the start of each window; null for all of them. */
        public Builder encoderSteps(Integer v) { encoderSteps = v; return this; }
        public Builder graph(GraphKind v) { graph = v; return this; }
        /** The simulation box the decoder reflects predicted states at; null for none. */
        public Builder walls(ReflectingWalls v) { walls = v; return this; }

        public NriConfig build() {
            return new NriConfig(atoms, timesteps, dims, edgeTypes, encoderHidden, decoderHidden, skipFirst, tau, hard,
                    variance, prior, predictionSteps, encoderDropout, decoderDropout, encoder,
                    decoder, encoderSteps, graph, walls);
        }
    }
}
