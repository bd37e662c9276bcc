package dev.nristream.job.graph;

import dev.nristream.job.JobMetrics;
import dev.nristream.job.WindowResult;
import dev.nristream.job.WindowTask;
import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.WindowSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the encoder and the decoder rollout on windows from many scenes at once. Windows are buffered until
 * {@code maxBatch} have arrived or the oldest has waited {@code maxWaitMs} (processing time), then run as one
 * batch per node count (a batch needs one N). The buffer is flushed before every checkpoint barrier and at the
 * end of input, so it never needs to be part of the state and exactly-once holds.
 *
 * <p>One {@link NriOnnxModel} per served model and parallel instance, opened in {@link #open()} and closed in
 * {@link #close()}; each window runs on the model its scene was given ({@link WindowTask#modelId}), and a batch
 * holds windows of one model only. The i-th model directory comes from Flink's distributed cache entry
 * {@link #cacheName(int)} when the job registered one (so task managers need no shared file system), else from the
 * path given. A window naming a model not opened yet (one swapped in while the job runs) opens it from the
 * directory the window names.
 *
 * <pre>{@code
 * windows.transform("inference", TypeInformation.of(WindowResult.class),
 *         new BatchingInferenceOperator(modelDir, options, 32, 20, 10));
 * }</pre>
 *
 * <p>The decoder rollout is given the whole window ({@link NriOnnxModel#rolloutWindow}), so recurrent-decoder
 * models get the forecast they were trained for; it is fed hard edges (each edge's most probable type) unless built
 * with soft ones, and runs the model's sparse rollout when it has one ({@link NriOnnxModel.DecoderPath}). Under
 * overload it sheds load by the policy of {@link LoadShedder}: forecasts first, then longer strides, each published
 * window saying its stride ({@code strideMs}).
 *
 * <p>Metrics (see {@link JobMetrics}): {@code inferenceLatencyMs}, {@code batchSize}, {@code endToEndLagMs}
 * histograms, the {@code graphsPerSecond} meter, the {@code windowsShed} and {@code forecastsShed} counters and
 * the {@code shedLevel} and {@code shedStrideFactor} gauges.
 */
public final class BatchingInferenceOperator extends AbstractStreamOperator<WindowResult>
        implements OneInputStreamOperator<WindowTask, WindowResult>, ProcessingTimeService.ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingInferenceOperator.class);

    /** Scenes unseen this long (processing time) are forgotten by the load shedder. */
    static final long SHED_EXPIRY_MS = 120_000;

    /** Name of the distributed cache entry holding the model directory. */
    public static final String MODEL_CACHE_NAME = "nri-model";

    private final List<String> modelDirs;
    private final NriOnnxModel.Options options;
    private final int maxBatch;
    private final long maxWaitMs;
    private final int horizon;
    private final boolean hardEdges;
    private boolean dynamicGraph;
    private final long shedLagMs;
    private final int maxStrideFactor;
    private final long baseStrideMs;
    private final int strideSetting;

    private transient Map<String, Served> models;
    private transient List<StreamRecord<WindowTask>> buffer;
    private transient boolean timerPending;
    private transient Histogram latency;
    private transient Histogram batchSizes;
    private transient Histogram lag;
    private transient Counter graphs;
    private transient LoadShedder shedder;
    private transient Counter windowsShed;
    private transient Counter forecastsShed;
    private transient long lastExpiryMs;

    /**
     * @param modelDir the model directory (used when no distributed cache entry is registered)
     * @param options ONNX Runtime settings
     * @param maxBatch most windows per run
     * @param maxWaitMs longest wait for a batch to fill, ms; 0 runs each window on arrival
     * @param horizon forecast steps
     * @param hardEdges whether the rollout is fed each edge's most probable type (one-hot) instead of the
     *     encoder's probabilities
     * @param shedLagMs excess lag that starts load shedding ({@link LoadShedder}), ms; 0 never sheds
     * @param maxStrideFactor largest stride multiple while shedding (a power of two)
     * @param baseStrideMs the job's stride in event time, ms
     */
    public BatchingInferenceOperator(String modelDir, NriOnnxModel.Options options, int maxBatch, long maxWaitMs,
            int horizon, boolean hardEdges, long shedLagMs, int maxStrideFactor, long baseStrideMs) {
        this(List.of(modelDir), options, maxBatch, maxWaitMs, horizon, hardEdges, shedLagMs, maxStrideFactor,
                baseStrideMs, 0);
    }

    /**
     * Several models; each scene's base stride (for load shedding) follows its model's rate.
     *
     * @param strideSetting the job's {@code stride}: frames of a model between windows, 0 = one window per second
     */
    public BatchingInferenceOperator(List<String> modelDirs, NriOnnxModel.Options options, int maxBatch,
            long maxWaitMs, int horizon, boolean hardEdges, long shedLagMs, int maxStrideFactor, int strideSetting) {
        this(modelDirs, options, maxBatch, maxWaitMs, horizon, hardEdges, shedLagMs, maxStrideFactor, -1,
                strideSetting);
    }

    private BatchingInferenceOperator(List<String> modelDirs, NriOnnxModel.Options options, int maxBatch,
            long maxWaitMs, int horizon, boolean hardEdges, long shedLagMs, int maxStrideFactor, long baseStrideMs,
            int strideSetting) {
        this.modelDirs = List.copyOf(modelDirs);
        this.strideSetting = strideSetting;
        this.options = options;
        this.maxBatch = maxBatch;
        this.maxWaitMs = maxWaitMs;
        this.horizon = horizon;
        this.hardEdges = hardEdges;
        this.shedLagMs = shedLagMs;
        this.maxStrideFactor = maxStrideFactor;
        this.baseStrideMs = baseStrideMs;
        new LoadShedder(shedLagMs, maxStrideFactor); // checks the settings when the job is built
    }

    /** Without load shedding, hard or soft edges. */
    public BatchingInferenceOperator(String modelDir, NriOnnxModel.Options options, int maxBatch, long maxWaitMs,
            int horizon, boolean hardEdges) {
        this(modelDir, options, maxBatch, maxWaitMs, horizon, hardEdges, 0, 1, 1000);
    }

    /** Without load shedding, with hard edges, the job's default ({@code rollout.edges = HARD}). */
    public BatchingInferenceOperator(String modelDir, NriOnnxModel.Options options, int maxBatch, long maxWaitMs,
            int horizon) {
        this(modelDir, options, maxBatch, maxWaitMs, horizon, true);
    }

    /**
     * Re-evaluates the graph as the forecast moves ({@code rollout.graph = DYNAMIC}): before every forecast step
     * after the first, the encoder runs on the most recent window, the window's newest true frames followed by the
     * forecast so far ({@link NriOnnxModel#rolloutWindowDynamic}), one more encoder run per step. The graph record
     * stays the window's.
     */
    public BatchingInferenceOperator withDynamicGraph(boolean on) {
        this.dynamicGraph = on;
        return this;
    }

    @Override
    public void open() throws Exception {
        super.open();
        models = new HashMap<>();
        for (int i = 0; i < modelDirs.size(); i++) {
            Served m = openModel(resolveModelDir(i));
            models.put(m.spec().modelId(), m);
        }
        buffer = new ArrayList<>();
        MetricGroup g = getRuntimeContext().getMetricGroup();
        latency = g.histogram(JobMetrics.INFERENCE_LATENCY_MS, new DescriptiveStatisticsHistogram(JobMetrics.HISTOGRAM_WINDOW));
        batchSizes = g.histogram(JobMetrics.BATCH_SIZE, new DescriptiveStatisticsHistogram(JobMetrics.HISTOGRAM_WINDOW));
        lag = g.histogram(JobMetrics.END_TO_END_LAG_MS, new DescriptiveStatisticsHistogram(JobMetrics.HISTOGRAM_WINDOW));
        graphs = g.counter(JobMetrics.GRAPHS);
        g.meter(JobMetrics.GRAPHS_PER_SECOND, new MeterView(graphs));
        shedder = new LoadShedder(shedLagMs, maxStrideFactor);
        windowsShed = g.counter(JobMetrics.WINDOWS_SHED);
        forecastsShed = g.counter(JobMetrics.FORECASTS_SHED);
        g.gauge(JobMetrics.SHED_LEVEL, () -> shedder.level());
        g.gauge(JobMetrics.STRIDE_FACTOR, () -> shedder.strideFactor());
    }

    /** What the operator holds per model. */
    private record Served(NriOnnxModel model, FeatureBuilder denormaliser, long baseStrideMs) {
        dev.nristream.model.ModelSpec spec() {
            return model.spec();
        }
    }

    /** Name of the distributed cache entry of the i-th model directory ({@link #MODEL_CACHE_NAME} for the first). */
    public static String cacheName(int i) {
        return i == 0 ? MODEL_CACHE_NAME : MODEL_CACHE_NAME + "-" + i;
    }

    private Served openModel(Path dirPath) {
        ModelDirectory dir = ModelDirectory.open(dirPath);
        NriOnnxModel model = NriOnnxModel.open(dir, options);
        var spec = dir.spec();
        int stride = strideSetting > 0 ? strideSetting : Math.max(1, (int) Math.round(spec.samplingRateHz()));
        long base = baseStrideMs >= 0 ? baseStrideMs : Math.round(stride * spec.periodMs());
        LOG.info("Inference subtask {} opened model {} from {} on {} (batch <= {}, wait <= {} ms, horizon {}, {} "
                + "rollout with {} edges, {})", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                spec.modelId(), dirPath, model.activeDevice(), maxBatch, maxWaitMs, horizon, model.decoderPath(),
                hardEdges ? "hard" : "soft", dynamicGraph ? "the graph re-evaluated before every forecast step"
                        : "the window's graph for the whole forecast");
        return new Served(model, new FeatureBuilder(spec, WindowSpec.forModel(spec, 1)), base);
    }

    /** The model a window names, opened from the directory it names when the operator has not opened it yet. */
    private Served modelFor(WindowTask t) {
        if (t.modelId == null) {
            return models.values().iterator().next(); // windows made without a model id: a one-model test setup
        }
        Served m = models.get(t.modelId);
        if (m == null) {
            m = openModel(Path.of(t.modelDir));
            if (!m.spec().modelId().equals(t.modelId)) {
                String found = m.spec().modelId();
                m.model().close();
                throw new IllegalStateException("model directory " + t.modelDir + " now holds model " + found
                        + ", not " + t.modelId + " as when the swap was accepted");
            }
            models.put(t.modelId, m);
        }
        return m;
    }

    /** The load-shedding policy in use (for tests). */
    LoadShedder shedder() {
        return shedder;
    }

    private Path resolveModelDir(int i) {
        try {
            File cached = getRuntimeContext().getDistributedCache().getFile(cacheName(i));
            if (cached != null) {
                return cached.toPath();
            }
        } catch (RuntimeException notRegistered) {
            // fall through to the configured path
        }
        return Path.of(modelDirs.get(i));
    }

    @Override
    public void processElement(StreamRecord<WindowTask> element) throws Exception {
        WindowTask task = element.getValue();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        shedder.observe(task.sceneId, now - task.endTimeMs, now);
        long stride = shedder.admit(task.sceneId, task.endTimeMs, modelFor(task).baseStrideMs());
        if (now - lastExpiryMs > SHED_EXPIRY_MS) {
            shedder.expire(now, SHED_EXPIRY_MS);
            lastExpiryMs = now;
        }
        if (stride < 0) {
            windowsShed.inc();
            return;
        }
        task.strideMs = stride;
        task.forecast = shedder.forecasts();
        if (!task.forecast) {
            forecastsShed.inc();
        }
        buffer.add(element.copy(task));
        if (buffer.size() >= maxBatch || maxWaitMs == 0) {
            flush();
        } else if (!timerPending) {
            timerPending = true;
            ProcessingTimeService pts = getProcessingTimeService();
            pts.registerTimer(pts.getCurrentProcessingTime() + maxWaitMs, this);
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerPending = false;
        flush();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (models != null) {
                for (Served m : models.values()) {
                    m.model().close();
                }
                models = null;
            }
        } finally {
            super.close();
        }
    }

    /** Runs everything buffered, one batch per node count, and emits the results in arrival order per N. */
    void flush() {
        if (buffer == null || buffer.isEmpty()) {
            return;
        }
        Map<String, List<StreamRecord<WindowTask>>> byN = new LinkedHashMap<>();
        for (StreamRecord<WindowTask> r : buffer) {
            // one batch per model, node count and forecast-or-not (load shedding may change between arrivals)
            WindowTask t = r.getValue();
            byN.computeIfAbsent(t.modelId + "/" + t.nodes() + "/" + t.forecast, k -> new ArrayList<>()).add(r);
        }
        buffer.clear();
        for (List<StreamRecord<WindowTask>> group : byN.values()) {
            for (int from = 0; from < group.size(); from += maxBatch) {
                List<StreamRecord<WindowTask>> batch = group.subList(from, Math.min(group.size(), from + maxBatch));
                run(modelFor(batch.get(0).getValue()), batch.get(0).getValue().nodes(), batch);
            }
        }
    }

    private void run(Served served, int n, List<StreamRecord<WindowTask>> batch) {
        NriOnnxModel model = served.model();
        int b = batch.size();
        int featLen = batch.get(0).getValue().features.length;
        // One frame count for the whole batch: a batch holds one model's windows of one N, and every window of a
        // model has its window_length frames (SceneWindowFunction windows by the model's spec and FeatureBuilder
        // refuses any other length).
        int frames = featLen / (n * model.spec().features());
        float[] x = new float[b * featLen];
        for (int i = 0; i < b; i++) {
            System.arraycopy(batch.get(i).getValue().features, 0, x, i * featLen, featLen);
        }
        long t0 = System.nanoTime();
        float[] probs = model.encode(x, b, n);
        // Hard edges are what the sparse rollout thrives on: a "no edge" type then sends nothing at all.
        float[] weights = hardEdges ? NriOnnxModel.hardEdges(probs, model.spec().edgeTypes()) : probs;
        // While shedding load, windows admitted without a forecast skip the rollout (all of a batch share a level).
        boolean withForecast = batch.get(0).getValue().forecast;
        // The whole window, not its last frame: a recurrent decoder burns in on its last decoder_burn_in frames
        // (from its last frame alone its forecast is not the trained one); an MLP decoder starts from the last frame.
        float[] rollout = !withForecast ? null
                : dynamicGraph ? model.rolloutWindowDynamic(x, frames, weights, b, n, horizon, hardEdges)
                : model.rolloutWindow(x, frames, weights, b, n, horizon);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        latency.update(ms);
        batchSizes.update(b);
        int k = model.spec().edgeTypes();
        // The decoder was rolled out with the encoder's own probabilities (or their argmax); the graph record carries
        // the calibrated ones (model.json edge_calibration), which keep every argmax.
        float[] published = model.spec().calibration().apply(probs, k);
        int probLen = EdgeOrder.edgeCount(n) * k;
        int dims = model.spec().spatialDims();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (int i = 0; i < b; i++) {
            StreamRecord<WindowTask> rec = batch.get(i);
            WindowTask t = rec.getValue();
            WindowResult r = new WindowResult();
            r.sceneId = t.sceneId;
            r.modelId = model.spec().modelId();
            r.edgeTypeNames = model.spec().edgeTypeNames().toArray(new String[0]);
            r.noEdgeType = model.spec().noEdgeTypeOrNone();
            r.stepPeriodMs = model.spec().periodMs();
            r.agentIds = t.agentIds;
            r.edgeProbs = new float[probLen];
            System.arraycopy(published, i * probLen, r.edgeProbs, 0, probLen);
            r.edgeTypes = k;
            if (rollout != null) {
                double[][][] xy = served.denormaliser().forecastPositions(rollout, i, horizon, n);
                r.forecast = new double[n * horizon * dims];
                for (int a = 0; a < n; a++) {
                    for (int h = 0; h < horizon; h++) {
                        System.arraycopy(xy[a][h], 0, r.forecast, (a * horizon + h) * dims, dims);
                    }
                }
            }
            r.strideMs = t.strideMs;
            r.horizon = horizon;
            r.dims = dims;
            r.startTimeMs = t.startTimeMs;
            r.endTimeMs = t.endTimeMs;
            r.startFrame = t.startFrame;
            r.endFrame = t.endFrame;
            r.processingTimeMs = now;
            r.outOfRangeFraction = t.outOfRangeFraction;
            lag.update(now - t.endTimeMs);
            graphs.inc();
            output.collect(rec.replace(r));
        }
    }
}
