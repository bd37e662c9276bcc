package dev.nristream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exported NRI encoder and decoder behind ONNX Runtime: one session each, opened together, closed together.
 * Arrays are flat, C order, in the shapes {@link TensorNames} documents; features are normalised to [-1, 1].
 *
 * <pre>{@code
 * ModelDirectory dir = ModelDirectory.open(Path.of("models/springs5"));
 * try (NriOnnxModel model = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults().withIntraOpThreads(1))) {
 *     float[] probs = model.encode(x, batch, atoms);                    // [B, E, K]
 *     float[] future = model.rollout(last, probs, batch, atoms, 10);    // [B, H, N, D]
 *     float[] ahead = model.rolloutWindow(x, t, probs, batch, atoms, 10); // any decoder kind: [B, H, N, D]
 * }
 * }</pre>
 *
 * <p>A recurrent decoder ({@code decoder_kind} recurrent) carries a hidden state per atom: {@link #rolloutWindow}
 * burns it in on the window's last {@link ModelSpec#decoderFrames()} true frames, then rolls forward on its own
 * predictions; {@link #recurrentStep} is the single step. MLP models take the same calls (their forecast starts
 * from the window's last frame), so callers that hold the window need not know the kind.
 *
 * <p>Thread-safe: ONNX Runtime sessions may be run concurrently; every input and output tensor of a run is closed
 * when the run ends. The one-hot relation matrices {@code rel_rec}/{@code rel_send} are built once per atom count
 * and kept until {@link #close()}.
 */
public final class NriOnnxModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NriOnnxModel.class);

    /** Where the sessions run. */
    public enum Device {
        /** CUDA when this ONNX Runtime build has it and it starts, otherwise CPU. */
        AUTO,
        /** Always CPU. */
        CPU,
        /** CUDA when available; otherwise CPU with a log line saying why. */
        CUDA;

        /** Parses {@code auto|cpu|cuda} (any case), naming the allowed values on error. */
        public static Device parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("device must be one of auto, cpu, cuda; got '" + s + "'");
            }
        }
    }

    /** How {@link #rollout} runs the decoder. */
    public enum DecoderPath {
        /**
         * The model directory's {@code rollout.onnx} when it has one: the whole rollout in one session run, messages
         * only for (edge, type) pairs whose type sends messages and whose weight is not zero. Falls back to
         * {@link #DENSE} (with a log line) for a directory without that file.
         */
        SPARSE,
        /** {@code decoder.onnx} once per step, messages for every edge and type (the reference for the A/B). */
        DENSE;

        /** Parses {@code sparse|dense} (any case), naming the allowed values on error. */
        public static DecoderPath parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("decoder path must be one of sparse, dense; got '" + s + "'");
            }
        }
    }

    /**
     * Session settings.
     *
     * @param intraOpThreads threads ONNX Runtime may use inside one operator; cap it so parallel slots do not
     *     fight for cores (default 1)
     * @param device where to run (default {@link Device#AUTO})
     * @param cudaDeviceId GPU ordinal for CUDA (default 0)
     * @param decoderPath sparse (default) or dense rollout
     */
    public record Options(int intraOpThreads, Device device, int cudaDeviceId, DecoderPath decoderPath)
            implements java.io.Serializable {
        public Options {
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
            }
            if (device == null) {
                throw new IllegalArgumentException("device must be set");
            }
            if (decoderPath == null) {
                throw new IllegalArgumentException("decoderPath must be set");
            }
        }

        /** The given settings with the default (sparse) decoder path. */
        public Options(int intraOpThreads, Device device, int cudaDeviceId) {
            this(intraOpThreads, device, cudaDeviceId, DecoderPath.SPARSE);
        }

        /** One intra-op thread, device auto, GPU 0, sparse rollout. */
        public static Options defaults() {
            return new Options(1, Device.AUTO, 0, DecoderPath.SPARSE);
        }

        public Options withIntraOpThreads(int n) {
            return new Options(n, device, cudaDeviceId, decoderPath);
        }

        public Options withDevice(Device d) {
            return new Options(intraOpThreads, d, cudaDeviceId, decoderPath);
        }

        public Options withDecoderPath(DecoderPath p) {
            return new Options(intraOpThreads, device, cudaDeviceId, p);
        }
    }

    private final ModelSpec spec;
    private final OrtEnvironment env;
    private final OrtSession encoder;
    private final OrtSession decoder;
    private final OrtSession sparse;
    private final boolean[] silent;
    private final Set<String> sparseInputs;
    private final Device activeDevice;
    private final String deviceReason;
    private final Map<Integer, OnnxTensor[]> relations = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private NriOnnxModel(ModelSpec spec, OrtEnvironment env, OrtSession encoder, OrtSession decoder,
            OrtSession sparse, boolean[] silent, Device activeDevice, String deviceReason) {
        this.spec = spec;
        this.env = env;
        this.encoder = encoder;
        this.decoder = decoder;
        this.sparse = sparse;
        this.silent = silent;
        this.sparseInputs = sparse == null ? Set.of() : sparse.getInputNames();
        this.activeDevice = activeDevice;
        this.deviceReason = deviceReason;
    }

    /**
     * Opens both sessions.
     *
     * @throws ModelException when a file is not a loadable ONNX model or lacks a contract tensor name
     */
    public static NriOnnxModel open(ModelDirectory dir, Options options) {
        OrtEnvironment env = environment();
        DeviceChoice choice = chooseDevice(options);
        OrtSession enc = null;
        OrtSession dec = null;
        try {
            enc = createSession(env, dir.encoder().toString(), options, choice);
            dec = createSession(env, dir.decoder().toString(), options, choice);
        } catch (OrtException e) {
            if (choice.device == Device.CUDA) {
                closeQuietly(enc);
                closeQuietly(dec);
                enc = null;
                dec = null;
                choice = new DeviceChoice(Device.CPU, "CUDA session failed to start (" + e.getMessage() + ")");
                try {
                    enc = createSession(env, dir.encoder().toString(), options, choice);
                    dec = createSession(env, dir.decoder().toString(), options, choice);
                } catch (OrtException e2) {
                    closeQuietly(enc);
                    closeQuietly(dec);
                    throw new ModelException("cannot load the ONNX models in " + dir.path() + ": " + e2.getMessage(), e2);
                }
            } else {
                closeQuietly(enc);
                closeQuietly(dec);
                throw new ModelException("cannot load the ONNX models in " + dir.path() + ": " + e.getMessage(), e);
            }
        }
        try {
            requireNames(dir.encoder().toString(), enc.getInputNames(),
                    List.of(TensorNames.TRAJECTORIES, TensorNames.REL_REC, TensorNames.REL_SEND), "input");
            requireNames(dir.encoder().toString(), enc.getOutputNames(), List.of(TensorNames.EDGE_PROBS), "output");
            boolean recurrent = dir.spec().recurrentDecoder();
            List<String> decIn = new ArrayList<>(List.of(TensorNames.STATE, TensorNames.REL_REC,
                    TensorNames.REL_SEND, TensorNames.EDGE_WEIGHTS));
            List<String> decOut = new ArrayList<>(List.of(TensorNames.NEXT_STATE));
            if (recurrent) {
                decIn.add(TensorNames.HIDDEN);
                decOut.add(TensorNames.NEXT_HIDDEN);
            } else if (dec.getInputNames().contains(TensorNames.HIDDEN)) {
                throw new ModelException(dir.decoder() + " takes a '" + TensorNames.HIDDEN + "' input (a recurrent "
                        + "decoder) but " + dir.path().resolve(ModelSpec.FILE_NAME) + " says decoder_kind "
                        + dir.spec().decoderKindOrDefault() + "; it needs decoder_kind "
                        + ModelSpec.DECODER_RECURRENT + " and decoder_hidden");
            }
            requireNames(dir.decoder().toString(), dec.getInputNames(), decIn, "input");
            requireNames(dir.decoder().toString(), dec.getOutputNames(), decOut, "output");
            checkMetadata(dir, enc, dec);
        } catch (RuntimeException | OrtException e) {
            closeQuietly(enc);
            closeQuietly(dec);
            if (e instanceof ModelException me) {
                throw me;
            }
            throw new ModelException("cannot inspect the ONNX models in " + dir.path() + ": " + e.getMessage(), e);
        }
        OrtSession sparse = null;
        boolean[] silent = null;
        if (options.decoderPath() == DecoderPath.SPARSE && dir.spec().recurrentDecoder()) {
            // The sparse rollout graph is the MLP decoder's; a recurrent model steps its one-step graph.
            LOG.info("Model {}: recurrent decoder, rolling out its one-step graph (no sparse rollout)",
                    dir.spec().modelId());
        } else if (options.decoderPath() == DecoderPath.SPARSE) {
            if (dir.rollout().isEmpty()) {
                LOG.info("Model {}: no {} in {}, rolling out with the dense decoder (./nri upgrade-decoder --model {}"
                        + " adds it)", dir.spec().modelId(), ModelSpec.ROLLOUT_FILE, dir.path(), dir.path());
            } else {
                String file = dir.rollout().get().toString();
                try {
                    sparse = createSession(env, file, options, choice);
                    requireNames(file, sparse.getInputNames(), List.of(TensorNames.STATE, TensorNames.MSG_RECEIVERS,
                            TensorNames.MSG_SENDERS, TensorNames.MSG_WEIGHTS, TensorNames.HORIZON), "input");
                    requireNames(file, sparse.getOutputNames(), List.of(TensorNames.FORECAST), "output");
                    Map<String, String> meta = sparse.getMetadata().getCustomMetadata();
                    OnnxContract.checkDecoder(file, meta, dir.spec());
                    silent = OnnxContract.silentTypes(file, meta, dir.spec().edgeTypes());
                } catch (RuntimeException | OrtException e) {
                    closeQuietly(enc);
                    closeQuietly(dec);
                    closeQuietly(sparse);
                    if (e instanceof ModelException me) {
                        throw me;
                    }
                    throw new ModelException("cannot load " + file + ": " + e.getMessage(), e);
                }
            }
        }
        if (choice.device == Device.CPU && options.device() != Device.CPU) {
            LOG.info("Model {}: running on CPU because {}", dir.spec().modelId(), choice.reason);
        } else {
            LOG.info("Model {}: running on {} ({} intra-op threads, {} rollout)", dir.spec().modelId(),
                    choice.device, options.intraOpThreads(), sparse == null ? "dense" : "sparse");
        }
        return new NriOnnxModel(dir.spec(), env, enc, dec, sparse, silent, choice.device, choice.reason);
    }

    private static volatile OrtEnvironment environment;

    /**
     * The process-wide ONNX Runtime environment, created on a thread with a large stack: creating it recurses
     * deeper the longer the process command line is (a Flink task manager's class path is on it) and overflows a
     * default 1 MB thread stack with a SIGSEGV that takes the whole JVM down, without an hs_err file.
     */
    static OrtEnvironment environment() {
        OrtEnvironment e = environment;
        if (e != null) {
            return e;
        }
        synchronized (NriOnnxModel.class) {
            if (environment == null) {
                OrtEnvironment[] holder = new OrtEnvironment[1];
                RuntimeException[] failure = new RuntimeException[1];
                Thread t = new Thread(null, () -> {
                    try {
                        holder[0] = OrtEnvironment.getEnvironment();
                    } catch (RuntimeException ex) {
                        failure[0] = ex;
                    }
                }, "onnxruntime-init", 256L << 20);
                t.start();
                try {
                    t.join();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting ONNX Runtime", ie);
                }
                if (failure[0] != null) {
                    throw failure[0];
                }
                environment = holder[0];
            }
            return environment;
        }
    }

    private record DeviceChoice(Device device, String reason) {
    }

    private static DeviceChoice chooseDevice(Options options) {
        if (options.device() == Device.CPU) {
            return new DeviceChoice(Device.CPU, "device cpu was asked for");
        }
        Set<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        if (!providers.contains(OrtProvider.CUDA)) {
            return new DeviceChoice(Device.CPU, "this ONNX Runtime build has no CUDA execution provider (providers: "
                    + providers + "; build with the Maven profile -Pgpu for the onnxruntime_gpu jar)");
        }
        return new DeviceChoice(Device.CUDA, "CUDA execution provider available");
    }

    private static OrtSession createSession(OrtEnvironment env, String path, Options options, DeviceChoice choice)
            throws OrtException {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (choice.device == Device.CUDA) {
                so.addCUDA(options.cudaDeviceId());
            }
            return env.createSession(path, so);
        }
    }

    private static void requireNames(String file, Set<String> actual, List<String> required, String kind) {
        List<String> missing = new ArrayList<>();
        for (String r : required) {
            if (!actual.contains(r)) {
                missing.add(r);
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelException(file + " lacks " + kind + " tensor(s) " + missing + " (has " + actual
                    + "); see dev.nristream.model.TensorNames");
        }
    }

    // The exporter stamps the contract into the ONNX metadata (STYLE.md #7): a model id that differs means files
    // from two exports were mixed in one directory; an edge order or feature layout that differs means the graph
    // would read its inputs in another order than this runtime feeds them.
    private static void checkMetadata(ModelDirectory dir, OrtSession enc, OrtSession dec) throws OrtException {
        OnnxContract.check(dir.encoder().toString(), enc.getMetadata().getCustomMetadata(), dir.spec());
        OnnxContract.checkDecoder(dir.decoder().toString(), dec.getMetadata().getCustomMetadata(), dir.spec());
        if (dir.spec().recurrentDecoder()
                && dec.getInputInfo().get(TensorNames.HIDDEN).getInfo() instanceof ai.onnxruntime.TensorInfo hi) {
            long[] shape = hi.getShape();
            if (shape.length != 3 || (shape[2] > 0 && shape[2] != dir.spec().decoderHidden())) {
                throw new ModelException(dir.path().resolve(ModelSpec.FILE_NAME) + " says decoder_hidden "
                        + dir.spec().decoderHidden() + " but " + dir.decoder() + " takes '" + TensorNames.HIDDEN
                        + "' of shape " + java.util.Arrays.toString(shape));
            }
        }
        // The encoder's first layer sees T x D values: a window_length other than the graph's fails every call.
        if (enc.getInputInfo().get(TensorNames.TRAJECTORIES).getInfo() instanceof ai.onnxruntime.TensorInfo ti) {
            long[] shape = ti.getShape();
            if (shape.length == 4 && shape[2] > 0 && shape[2] != dir.spec().windowLength()) {
                throw new ModelException(dir.path().resolve(ModelSpec.FILE_NAME) + " says window_length "
                        + dir.spec().windowLength() + " but " + dir.encoder() + " takes " + shape[2]
                        + " steps in '" + TensorNames.TRAJECTORIES + "'");
            }
            if (shape.length == 4 && shape[3] > 0 && shape[3] != dir.spec().featureLayout().size()) {
                throw new ModelException(dir.path().resolve(ModelSpec.FILE_NAME) + " says feature_layout "
                        + dir.spec().featureLayout() + " but " + dir.encoder() + " takes " + shape[3]
                        + " features per step");
            }
        }
    }

    /** The model's description. */
    public ModelSpec spec() {
        return spec;
    }

    /** The device the sessions actually run on. */
    public Device activeDevice() {
        return activeDevice;
    }

    /** Why that device was chosen (e.g. why CPU when CUDA was asked for). */
    public String deviceReason() {
        return deviceReason;
    }

    /** The decoder path {@link #rollout} takes: sparse when the directory has a rollout file and it was asked for. */
    public DecoderPath decoderPath() {
        return sparse == null ? DecoderPath.DENSE : DecoderPath.SPARSE;
    }

    /**
     * Hard edge samples: each edge's weights replaced by the one-hot of its most probable type (ties: the lower
     * type). With them the sparse rollout skips every edge whose type sends no messages.
     *
     * @param probs flat [B, E, K]
     * @return a new flat [B, E, K] array of 0s and 1s
     */
    public static float[] hardEdges(float[] probs, int edgeTypes) {
        if (probs.length % edgeTypes != 0) {
            throw new IllegalArgumentException("edge weights have " + probs.length + " values, not a multiple of K="
                    + edgeTypes);
        }
        float[] out = new float[probs.length];
        for (int base = 0; base < probs.length; base += edgeTypes) {
            int best = 0;
            for (int t = 1; t < edgeTypes; t++) {
                if (probs[base + t] > probs[base + best]) {
                    best = t;
                }
            }
            out[base + best] = 1f;
        }
        return out;
    }

    private OnnxTensor[] relationTensors(int n) {
        return relations.computeIfAbsent(n, k -> {
            float[][] m = EdgeOrder.relationMatrices(k);
            long[] shape = {EdgeOrder.edgeCount(k), k};
            OnnxTensor rec = null;
            try {
                rec = OnnxTensor.createTensor(env, FloatBuffer.wrap(m[0]), shape);
                OnnxTensor send = OnnxTensor.createTensor(env, FloatBuffer.wrap(m[1]), shape);
                return new OnnxTensor[] {rec, send};
            } catch (OrtException e) {
                if (rec != null) {
                    rec.close();
                }
                throw new IllegalStateException("cannot build relation tensors for " + k + " atoms", e);
            }
        });
    }

    /**
     * Runs the encoder on a batch of windows.
     *
     * @param trajectories flat [B, N, T, D], normalised
     * @param batch B
     * @param atoms N
     * @return edge-type probabilities, flat [B, E, K]
     */
    public float[] encode(float[] trajectories, int batch, int atoms) {
        return encode(trajectories, batch, atoms, spec.windowLength());
    }

    /**
     * Runs the encoder on a batch of windows of {@code frames} steps: {@code window_length} for the MLP encoder,
     * any length from {@link ModelSpec#CNN_MIN_WINDOW} for the CNN encoder ({@link ModelSpec#dynamicWindow()}).
     *
     * @param trajectories flat [B, N, T=frames, D], normalised
     * @return edge-type probabilities, flat [B, E, K]
     */
    public float[] encode(float[] trajectories, int batch, int atoms, int frames) {
        checkOpen();
        checkAtoms(atoms);
        if (spec.dynamicWindow() ? frames < ModelSpec.CNN_MIN_WINDOW : frames != spec.windowLength()) {
            throw new IllegalArgumentException("model " + spec.modelId() + " (" + spec.encoderKindOrDefault()
                    + " encoder) takes windows of " + (spec.dynamicWindow() ? ">= " + ModelSpec.CNN_MIN_WINDOW
                    : "exactly " + spec.windowLength()) + " frames, got " + frames);
        }
        int t = frames;
        int d = spec.features();
        checkLength("trajectories", trajectories, (long) batch * atoms * t * d,
                "[B=" + batch + ", N=" + atoms + ", T=" + t + ", D=" + d + "]");
        OnnxTensor[] rel = relationTensors(atoms);
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(trajectories),
                new long[] {batch, atoms, t, d})) {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put(TensorNames.TRAJECTORIES, x);
            in.put(TensorNames.REL_REC, rel[0]);
            in.put(TensorNames.REL_SEND, rel[1]);
            try (OrtSession.Result r = encoder.run(in, Set.of(TensorNames.EDGE_PROBS))) {
                return floats(r, TensorNames.EDGE_PROBS, (long) batch * EdgeOrder.edgeCount(atoms) * spec.edgeTypes());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("encoder run failed for B=" + batch + ", N=" + atoms + ": " + e.getMessage(), e);
        }
    }

    /**
     * One decoder step.
     *
     * @param state flat [B, N, D], normalised
     * @param edgeWeights flat [B, E, K]
     * @return the next state, flat [B, N, D]
     */
    public float[] decodeStep(float[] state, float[] edgeWeights, int batch, int atoms) {
        return rollout(state, edgeWeights, batch, atoms, 1);
    }

    /**
     * Rolls the decoder forward {@code horizon} steps from {@code state}, feeding each prediction back in.
     *
     * @param state flat [B, N, D], normalised (usually the window's last frame)
     * @param edgeWeights flat [B, E, K] (usually the encoder's probabilities for the same window)
     * @return predicted states, flat [B, H, N, D]
     */
    public float[] rollout(float[] state, float[] edgeWeights, int batch, int atoms, int horizon) {
        checkOpen();
        checkAtoms(atoms);
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        int d = spec.features();
        int k = spec.edgeTypes();
        int e = EdgeOrder.edgeCount(atoms);
        int stepLen = atoms * d;
        checkLength("state", state, (long) batch * stepLen, "[B=" + batch + ", N=" + atoms + ", D=" + d + "]");
        checkLength("edge_weights", edgeWeights, (long) batch * e * k,
                "[B=" + batch + ", E=" + e + ", K=" + k + "]");
        if (spec.recurrentDecoder()) {
            // Without the window, the recurrent decoder starts from this one frame (a burn-in of 1); callers that
            // hold the window get the trained forecast from rolloutWindow.
            return recurrentRollout(state, 1, 0, edgeWeights, batch, atoms, horizon, true);
        }
        if (sparse != null) {
            return sparseRollout(state, edgeWeights, batch, atoms, horizon);
        }
        OnnxTensor[] rel = relationTensors(atoms);
        float[] out = new float[batch * horizon * stepLen];
        float[] current = state;
        try (OnnxTensor w = OnnxTensor.createTensor(env, FloatBuffer.wrap(edgeWeights), new long[] {batch, e, k})) {
            for (int h = 0; h < horizon; h++) {
                float[] next;
                try (OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(current), new long[] {batch, atoms, d})) {
                    Map<String, OnnxTensor> in = new HashMap<>();
                    in.put(TensorNames.STATE, s);
                    in.put(TensorNames.REL_REC, rel[0]);
                    in.put(TensorNames.REL_SEND, rel[1]);
                    in.put(TensorNames.EDGE_WEIGHTS, w);
                    try (OrtSession.Result r = decoder.run(in, Set.of(TensorNames.NEXT_STATE))) {
                        next = floats(r, TensorNames.NEXT_STATE, (long) batch * stepLen);
                    }
                }
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(next, b * stepLen, out, (b * horizon + h) * stepLen, stepLen);
                }
                current = next;
            }
        } catch (OrtException ex) {
            throw new IllegalStateException("decoder run failed for B=" + batch + ", N=" + atoms + ": " + ex.getMessage(), ex);
        }
        return out;
    }

    /**
     * The forecast after a window, for any decoder kind: the recurrent decoder burns in on the window's last
     * {@link ModelSpec#decoderFrames()} frames (all of them when the window is shorter) and then rolls forward on
     * its own predictions; the MLP decoder rolls forward from the window's last frame ({@link #rollout}). Either
     * way the result is the {@code horizon} frames after the window's last one.
     *
     * @param window flat [B, N, W=frames, D], normalised (the encoder's input layout)
     * @param frames W, at least 1
     * @param edgeWeights flat [B, E, K]
     * @return predicted states, flat [B, H, N, D]
     */
    public float[] rolloutWindow(float[] window, int frames, float[] edgeWeights, int batch, int atoms,
            int horizon) {
        checkOpen();
        checkAtoms(atoms);
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be >= 1, got " + frames);
        }
        int d = spec.features();
        checkLength("window", window, (long) batch * atoms * frames * d,
                "[B=" + batch + ", N=" + atoms + ", W=" + frames + ", D=" + d + "]");
        if (!spec.recurrentDecoder()) {
            return rollout(frame(window, frames, frames - 1, batch, atoms), edgeWeights, batch, atoms, horizon);
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        int e = EdgeOrder.edgeCount(atoms);
        checkLength("edge_weights", edgeWeights, (long) batch * e * spec.edgeTypes(),
                "[B=" + batch + ", E=" + e + ", K=" + spec.edgeTypes() + "]");
        int burnIn = Math.min(frames, spec.decoderFrames());
        return recurrentRollout(window, frames, frames - burnIn, edgeWeights, batch, atoms, horizon, false);
    }

    /**
     * {@link #rolloutWindow} with the graph re-evaluated as the forecast moves (the paper's dynamic re-evaluation,
     * Fig. 6): before forecast step j (j >= 2) the encoder runs on the most recent {@code frames} frames, the
     * window's last true frames followed by the model's own first j - 1 predictions, and that graph drives the step.
     * The first step and a recurrent decoder's burn-in use {@code edgeWeights}, the window's graph, so step 1 equals
     * {@link #rolloutWindow}'s. Costs one encoder run per further step.
     *
     * @param window flat [B, N, W=frames, D], normalised; {@code frames} must be a window the encoder takes
     * @param edgeWeights the window's graph, flat [B, E, K]
     * @param hard feed the re-evaluated graphs as each edge's most probable type ({@link #hardEdges}), as the
     *     caller fed the window's, or as probabilities
     * @return predicted states, flat [B, H, N, D]
     */
    public float[] rolloutWindowDynamic(float[] window, int frames, float[] edgeWeights, int batch, int atoms,
            int horizon, boolean hard) {
        checkOpen();
        checkAtoms(atoms);
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        int d = spec.features();
        int k = spec.edgeTypes();
        checkLength("window", window, (long) batch * atoms * frames * d,
                "[B=" + batch + ", N=" + atoms + ", W=" + frames + ", D=" + d + "]");
        checkLength("edge_weights", edgeWeights, (long) batch * EdgeOrder.edgeCount(atoms) * k,
                "[B=" + batch + ", E=" + EdgeOrder.edgeCount(atoms) + ", K=" + k + "]");
        int rows = batch * atoms;
        int span = frames + horizon;
        float[] seq = new float[rows * span * d]; // per (b, n): the window's frames, then the predictions
        for (int r = 0; r < rows; r++) {
            System.arraycopy(window, r * frames * d, seq, r * span * d, frames * d);
        }
        float[] out = new float[batch * horizon * atoms * d];
        boolean recurrent = spec.recurrentDecoder();
        float[] hidden = null;
        float[] state;
        if (recurrent) {
            // burn in on the window's last decoder frames but one; the last true frame is stepped below
            int burnIn = Math.min(frames, spec.decoderFrames());
            for (int f = frames - burnIn; f < frames - 1; f++) {
                hidden = recurrentStep(frame(window, frames, f, batch, atoms), hidden, edgeWeights, batch, atoms)
                        .hidden();
            }
        }
        state = frame(window, frames, frames - 1, batch, atoms);
        float[] z = edgeWeights;
        for (int j = 0; j < horizon; j++) {
            if (j > 0) {
                float[] recent = new float[rows * frames * d]; // seq steps [j, j + frames)
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(seq, (r * span + j) * d, recent, r * frames * d, frames * d);
                }
                float[] probs = encode(recent, batch, atoms, frames);
                z = hard ? hardEdges(probs, k) : probs;
            }
            float[] next;
            if (recurrent) {
                RecurrentStep st = recurrentStep(state, hidden, z, batch, atoms);
                next = st.nextState();
                hidden = st.hidden();
            } else {
                next = decodeStep(state, z, batch, atoms);
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(next, r * d, seq, (r * span + frames + j) * d, d);
            }
            for (int b = 0; b < batch; b++) {
                System.arraycopy(next, b * atoms * d, out, (b * horizon + j) * atoms * d, atoms * d);
            }
            state = next;
        }
        return out;
    }

    /** A recurrent decoder step's outputs: the predicted next state [B, N, D] and hidden state [B, N, H]. */
    public record RecurrentStep(float[] nextState, float[] hidden) {
    }

    /**
     * One step of a recurrent decoder (for callers that change the graph between steps, e.g. dynamic
     * re-encoding).
     *
     * @param state flat [B, N, D], normalised x_t
     * @param hidden flat [B, N, H] ({@code decoder_hidden}), or null for the zero state before the first frame
     * @param edgeWeights flat [B, E, K]
     * @throws IllegalStateException for a model whose decoder is not recurrent
     */
    public RecurrentStep recurrentStep(float[] state, float[] hidden, float[] edgeWeights, int batch, int atoms) {
        checkOpen();
        checkAtoms(atoms);
        if (!spec.recurrentDecoder()) {
            throw new IllegalStateException("model " + spec.modelId() + " has the " + spec.decoderKindOrDefault()
                    + " decoder, which has no hidden state; use decodeStep");
        }
        int d = spec.features();
        int h = spec.decoderHidden();
        int e = EdgeOrder.edgeCount(atoms);
        checkLength("state", state, (long) batch * atoms * d, "[B=" + batch + ", N=" + atoms + ", D=" + d + "]");
        float[] hid = hidden == null ? new float[batch * atoms * h] : hidden;
        checkLength("hidden", hid, (long) batch * atoms * h, "[B=" + batch + ", N=" + atoms + ", H=" + h + "]");
        checkLength("edge_weights", edgeWeights, (long) batch * e * spec.edgeTypes(),
                "[B=" + batch + ", E=" + e + ", K=" + spec.edgeTypes() + "]");
        OnnxTensor[] rel = relationTensors(atoms);
        try (OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), new long[] {batch, atoms, d});
                OnnxTensor hs = OnnxTensor.createTensor(env, FloatBuffer.wrap(hid), new long[] {batch, atoms, h});
                OnnxTensor w = OnnxTensor.createTensor(env, FloatBuffer.wrap(edgeWeights),
                        new long[] {batch, e, spec.edgeTypes()})) {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put(TensorNames.STATE, s);
            in.put(TensorNames.HIDDEN, hs);
            in.put(TensorNames.REL_REC, rel[0]);
            in.put(TensorNames.REL_SEND, rel[1]);
            in.put(TensorNames.EDGE_WEIGHTS, w);
            try (OrtSession.Result r = decoder.run(in, Set.of(TensorNames.NEXT_STATE, TensorNames.NEXT_HIDDEN))) {
                return new RecurrentStep(floats(r, TensorNames.NEXT_STATE, (long) batch * atoms * d),
                        floats(r, TensorNames.NEXT_HIDDEN, (long) batch * atoms * h));
            }
        } catch (OrtException ex) {
            throw new IllegalStateException("recurrent decoder step failed for B=" + batch + ", N=" + atoms + ": "
                    + ex.getMessage(), ex);
        }
    }

    /** Frame {@code f} of a flat [B, N, W, D] window as a flat [B, N, D] state. */
    private float[] frame(float[] window, int frames, int f, int batch, int atoms) {
        int d = spec.features();
        float[] out = new float[batch * atoms * d];
        for (int ba = 0; ba < batch * atoms; ba++) {
            System.arraycopy(window, (ba * frames + f) * d, out, ba * d, d);
        }
        return out;
    }

    // The one-step graph looped here rather than an ONNX Loop: the same graph then serves burn-in, rollout and
    // dynamic re-encoding (recurrentStep), and the hidden and predicted states stay in ONNX Runtime's tensors
    // from one step to the next (a result's outputs are the next run's inputs), so a step costs one session run;
    // the step's own work dominates (mocap35, 31 atoms, H 128, batch 1, one intra-op thread: ~1.9 ms a step, 128 ms
    // for a burn-in of 50 and 20 steps ahead, on a shared 2-core machine; models/README.md).
    private float[] recurrentRollout(float[] frames, int w, int from, float[] edgeWeights, int batch, int atoms,
            int horizon, boolean singleFrame) {
        int d = spec.features();
        int h = spec.decoderHidden();
        int e = EdgeOrder.edgeCount(atoms);
        int stepLen = atoms * d;
        OnnxTensor[] rel = relationTensors(atoms);
        float[] out = new float[batch * horizon * stepLen];
        OrtSession.Result prev = null;
        try (OnnxTensor wt = OnnxTensor.createTensor(env, FloatBuffer.wrap(edgeWeights),
                        new long[] {batch, e, spec.edgeTypes()});
                OnnxTensor zero = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[batch * atoms * h]),
                        new long[] {batch, atoms, h})) {
            int burnIn = w - from;
            for (int step = 0; step < burnIn + horizon - 1; step++) {
                OnnxTensor truth = null;
                try {
                    Map<String, OnnxTensor> in = new HashMap<>();
                    if (step < burnIn) {
                        float[] x = singleFrame ? frames : frame(frames, w, from + step, batch, atoms);
                        truth = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, atoms, d});
                        in.put(TensorNames.STATE, truth);
                    } else {
                        in.put(TensorNames.STATE, (OnnxTensor) prev.get(TensorNames.NEXT_STATE).orElseThrow());
                    }
                    in.put(TensorNames.HIDDEN, prev == null ? zero
                            : (OnnxTensor) prev.get(TensorNames.NEXT_HIDDEN).orElseThrow());
                    in.put(TensorNames.REL_REC, rel[0]);
                    in.put(TensorNames.REL_SEND, rel[1]);
                    in.put(TensorNames.EDGE_WEIGHTS, wt);
                    OrtSession.Result r = decoder.run(in, Set.of(TensorNames.NEXT_STATE, TensorNames.NEXT_HIDDEN));
                    if (prev != null) {
                        prev.close();
                    }
                    prev = r;
                } finally {
                    if (truth != null) {
                        truth.close();
                    }
                }
                int ahead = step - (burnIn - 1);
                if (ahead >= 0) {
                    float[] next = floats(prev, TensorNames.NEXT_STATE, (long) batch * stepLen);
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(next, b * stepLen, out, (b * horizon + ahead) * stepLen, stepLen);
                    }
                }
            }
        } catch (OrtException ex) {
            throw new IllegalStateException("recurrent decoder run failed for B=" + batch + ", N=" + atoms + ": "
                    + ex.getMessage(), ex);
        } finally {
            if (prev != null) {
                prev.close();
            }
        }
        return out;
    }

    // One run for the whole rollout. The active pairs are listed once (the graph does not change while rolling out);
    // a pair is left out when its type is silent or its weight is exactly zero, which drops nothing from the sum
    // the dense decoder computes.
    private float[] sparseRollout(float[] state, float[] w, int batch, int atoms, int horizon) {
        int d = spec.features();
        int k = spec.edgeTypes();
        int e = EdgeOrder.edgeCount(atoms);
        int[] recv = EdgeOrder.receivers(atoms);
        int[] send = EdgeOrder.senders(atoms);
        int active = 0;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < e; i++) {
                for (int t = 0; t < k; t++) {
                    if (!silent[t] && w[(b * e + i) * k + t] != 0f) {
                        active++;
                    }
                }
            }
        }
        long[] rec = new long[active];
        long[] snd = new long[active];
        long[] typ = new long[active];
        float[] wt = new float[active];
        int a = 0;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < e; i++) {
                for (int t = 0; t < k; t++) {
                    float v = w[(b * e + i) * k + t];
                    if (!silent[t] && v != 0f) {
                        rec[a] = (long) b * atoms + recv[i];
                        snd[a] = (long) b * atoms + send[i];
                        typ[a] = t;
                        wt[a++] = v;
                    }
                }
            }
        }
        int stepLen = atoms * d;
        float[] forecast;
        List<OnnxTensor> tensors = new ArrayList<>(6);
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put(TensorNames.STATE, track(tensors,
                    OnnxTensor.createTensor(env, FloatBuffer.wrap(state), new long[] {batch, atoms, d})));
            in.put(TensorNames.MSG_RECEIVERS, track(tensors,
                    OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(rec), new long[] {active})));
            in.put(TensorNames.MSG_SENDERS, track(tensors,
                    OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(snd), new long[] {active})));
            in.put(TensorNames.MSG_WEIGHTS, track(tensors,
                    OnnxTensor.createTensor(env, FloatBuffer.wrap(wt), new long[] {active})));
            if (sparseInputs.contains(TensorNames.MSG_TYPES)) {
                in.put(TensorNames.MSG_TYPES, track(tensors,
                        OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(typ), new long[] {active})));
            }
            in.put(TensorNames.HORIZON, track(tensors, OnnxTensor.createTensor(env, (long) horizon)));
            try (OrtSession.Result r = sparse.run(in, Set.of(TensorNames.FORECAST))) {
                forecast = floats(r, TensorNames.FORECAST, (long) horizon * batch * stepLen);
            }
        } catch (OrtException ex) {
            throw new IllegalStateException("sparse rollout failed for B=" + batch + ", N=" + atoms + ", "
                    + active + " active pairs: " + ex.getMessage(), ex);
        } finally {
            for (OnnxTensor t : tensors) {
                t.close();
            }
        }
        // [H, B, N, D] -> [B, H, N, D]
        float[] out = new float[forecast.length];
        for (int h = 0; h < horizon; h++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(forecast, (h * batch + b) * stepLen, out, (b * horizon + h) * stepLen, stepLen);
            }
        }
        return out;
    }

    private static OnnxTensor track(List<OnnxTensor> tensors, OnnxTensor t) {
        tensors.add(t);
        return t;
    }

    private static float[] floats(OrtSession.Result r, String name, long expected) {
        OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException("model returned no " + name));
        FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
        if (fb == null || fb.remaining() != expected) {
            throw new IllegalStateException(name + " has " + (fb == null ? "no float data" : fb.remaining() + " values")
                    + ", expected " + expected);
        }
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    private void checkAtoms(int atoms) {
        if (!spec.acceptsAtoms(atoms)) {
            throw new IllegalArgumentException("model " + spec.modelId() + " was trained on " + spec.atoms()
                    + " atoms and is not dynamic; cannot run it on " + atoms + " atoms");
        }
    }

    private static void checkLength(String name, float[] a, long expected, String shape) {
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException(name + " must have " + expected + " values for shape " + shape
                    + ", got " + (a == null ? "null" : a.length));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + spec.modelId() + " is closed");
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.warn("closing an ONNX session failed", e);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (OnnxTensor[] r : relations.values()) {
            r[0].close();
            r[1].close();
        }
        relations.clear();
        closeQuietly(encoder);
        closeQuietly(decoder);
        closeQuietly(sparse);
    }
}
