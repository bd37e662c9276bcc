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
 * <p>One {@link NriOnnxModel} per parallel instance, opened in {@link #open()} and closed in {@link #close()}.
 * The model directory comes from Flink's distributed cache entry {@link #MODEL_CACHE_NAME} when the job
 * registered one (so task managers need no shared file system), else from the path given.
 *
 * <pre>{@code
 * windows.transform("inference", TypeInformation.of(WindowResult.class),
 *         new BatchingInferenceOperator(modelDir, options, 32, 20, 10));
 * }</pre>
 *
 * <p>The decoder rollout is fed hard edges (each edge's most probable type) unless built with soft ones, and runs
 * the model's sparse rollout when it has one ({@link NriOnnxModel.DecoderPath}). Under overload it sheds load by
 * the policy of {@link LoadShedder}: forecasts first, then longer strides, each published window saying its
 * stride ({@code strideMs}).
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

    private final String modelDir;
    private final NriOnnxModel.Options options;
    private final int maxBatch;
    private final long maxWaitMs;
    private final int horizon;
    private final boolean hardEdges;
    private final long shedLagMs;
    private final int maxStrideFactor;
    private final long baseStrideMs;

    private transient NriOnnxModel model;
    private transient FeatureBuilder denormaliser;
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
        this.modelDir = modelDir;
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

    @Override
    public void open() throws Exception {
        super.open();
        ModelDirectory dir = ModelDirectory.open(resolveModelDir());
        model = NriOnnxModel.open(dir, options);
        denormaliser = new FeatureBuilder(dir.spec(), WindowSpec.forModel(dir.spec(), 1));
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
        LOG.info("Inference subtask {} opened model {} on {} (batch <= {}, wait <= {} ms, horizon {}, {} rollout "
                + "with {} edges)", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), dir.spec().modelId(),
                model.activeDevice(), maxBatch, maxWaitMs, horizon, model.decoderPath(), hardEdges ? "hard" : "soft");
    }

    /** The load-shedding policy in use (for tests). */
    LoadShedder shedder() {
        return shedder;
    }

    private Path resolveModelDir() {
        try {
            File cached = getRuntimeContext().getDistributedCache().getFile(MODEL_CACHE_NAME);
            if (cached != null) {
                return cached.toPath();
            }
        } catch (RuntimeException notRegistered) {
            // fall through to the configured path
        }
        return Path.of(modelDir);
    }

    @Override
    public void processElement(StreamRecord<WindowTask> element) throws Exception {
        WindowTask task = element.getValue();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        shedder.observe(task.sceneId, now - task.endTimeMs, now);
        long stride = shedder.admit(task.sceneId, task.endTimeMs, baseStrideMs);
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
            if (model != null) {
                model.close();
                model = null;
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
        Map<Integer, List<StreamRecord<WindowTask>>> byN = new LinkedHashMap<>();
        for (StreamRecord<WindowTask> r : buffer) {
            // one batch per node count and per forecast-or-not (load shedding may change between arrivals)
            byN.computeIfAbsent(2 * r.getValue().nodes() + (r.getValue().forecast ? 1 : 0), k -> new ArrayList<>())
                    .add(r);
        }
        buffer.clear();
        for (Map.Entry<Integer, List<StreamRecord<WindowTask>>> e : byN.entrySet()) {
            List<StreamRecord<WindowTask>> group = e.getValue();
            for (int from = 0; from < group.size(); from += maxBatch) {
                run(e.getKey() / 2, group.subList(from, Math.min(group.size(), from + maxBatch)));
            }
        }
    }

    private void run(int n, List<StreamRecord<WindowTask>> batch) {
        int b = batch.size();
        int featLen = batch.get(0).getValue().features.length;
        int stateLen = batch.get(0).getValue().lastState.length;
        float[] x = new float[b * featLen];
        float[] s = new float[b * stateLen];
        for (int i = 0; i < b; i++) {
            WindowTask t = batch.get(i).getValue();
            System.arraycopy(t.features, 0, x, i * featLen, featLen);
            System.arraycopy(t.lastState, 0, s, i * stateLen, stateLen);
        }
        long t0 = System.nanoTime();
        float[] probs = model.encode(x, b, n);
        // Hard edges are what the sparse rollout thrives on: a "no edge" type then sends nothing at all.
        float[] weights = hardEdges ? NriOnnxModel.hardEdges(probs, model.spec().edgeTypes()) : probs;
        // While shedding load, windows admitted without a forecast skip the rollout (all of a batch share a level).
        boolean withForecast = batch.get(0).getValue().forecast;
        float[] rollout = withForecast ? model.rollout(s, weights, b, n, horizon) : null;
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
            r.agentIds = t.agentIds;
            r.edgeProbs = new float[probLen];
            System.arraycopy(published, i * probLen, r.edgeProbs, 0, probLen);
            r.edgeTypes = k;
            if (rollout != null) {
                double[][][] xy = denormaliser.forecastPositions(rollout, i, horizon, n);
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
