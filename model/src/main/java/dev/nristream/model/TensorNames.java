package dev.nristream.model;

/**
 * Input and output tensor names of the exported NRI encoder and decoder: the contract between the trainer's ONNX
 * exporter and the stream's runtime ({@link NriOnnxModel}). Both graphs have a dynamic batch size B and a dynamic
 * number of atoms N (the CNN encoder also a dynamic window length T); E = N(N-1) ordered pairs (receiver i,
 * sender j), i != j, in row-major order (i outer, j inner).
 *
 * <pre>{@code
 * inputs.put(TensorNames.TRAJECTORIES, OnnxTensor.createTensor(env, buf, new long[] {b, n, t, d}));
 * }</pre>
 */
public final class TensorNames {

    /** Encoder input: float32 [B, N, T, D], features normalised to [-1, 1] in {@code feature_layout} order. */
    public static final String TRAJECTORIES = "trajectories";

    /** Encoder and decoder input: float32 one-hot [E, N], row e has a 1 at the receiver of edge e. */
    public static final String REL_REC = "rel_rec";

    /** Encoder and decoder input: float32 one-hot [E, N], row e has a 1 at the sender of edge e. */
    public static final String REL_SEND = "rel_send";

    /** Encoder output: float32 [B, E, K], unnormalised edge-type scores. */
    public static final String EDGE_LOGITS = "edge_logits";

    /** Encoder output: float32 [B, E, K], softmax of {@link #EDGE_LOGITS} over K. */
    public static final String EDGE_PROBS = "edge_probs";

    /** Decoder input: float32 [B, N, D], the current (normalised) state of every atom. */
    public static final String STATE = "state";

    /** Decoder input: float32 [B, E, K], edge-type weights (the encoder's probabilities, or one-hot). */
    public static final String EDGE_WEIGHTS = "edge_weights";

    /** Decoder output: float32 [B, N, D], the predicted (normalised) state one step later. */
    public static final String NEXT_STATE = "next_state";

    /**
     * Recurrent decoder input ({@code decoder_kind} recurrent): float32 [B, N, H], each atom's hidden state before
     * the step (zeros before the first frame; H is {@code decoder_hidden}). Its other inputs are those of the MLP
     * decoder: {@link #STATE} (x_t), {@link #REL_REC}, {@link #REL_SEND}, {@link #EDGE_WEIGHTS}.
     */
    public static final String HIDDEN = "hidden";

    /**
     * Recurrent decoder output: float32 [B, N, H], the hidden state after the step, fed back as {@link #HIDDEN};
     * its other output is {@link #NEXT_STATE}, the predicted x_{t+1}.
     */
    public static final String NEXT_HIDDEN = "next_hidden";

    /**
     * Sparse rollout input ({@code rollout.onnx}): int64 [A], for each active (edge, type) pair the flat index
     * {@code b * N + i} of its receiver i in batch element b. Pairs are listed only for types that send messages
     * and weights that are not zero.
     */
    public static final String MSG_RECEIVERS = "msg_receivers";

    /** Sparse rollout input: int64 [A], the flat index {@code b * N + j} of each active pair's sender j. */
    public static final String MSG_SENDERS = "msg_senders";

    /** Sparse rollout input: float32 [A], each active pair's edge weight (its entry of {@link #EDGE_WEIGHTS}). */
    public static final String MSG_WEIGHTS = "msg_weights";

    /** Sparse rollout input, present only when more than one type sends messages: int64 [A], each pair's type. */
    public static final String MSG_TYPES = "msg_types";

    /** Sparse rollout input: int64 scalar, the number of steps H. */
    public static final String HORIZON = "horizon";

    /** Sparse rollout output: float32 [H, B, N, D], the predicted (normalised) states after 1..H steps. */
    public static final String FORECAST = "forecast";

    private TensorNames() {
    }
}
