package dev.nristream.job.window;

import dev.nristream.job.DeadLetterEvent;
import dev.nristream.job.DeadLetterKind;
import dev.nristream.job.FrameEnvelope;
import dev.nristream.job.JobMetrics;
import dev.nristream.job.WindowTask;
import dev.nristream.model.ModelSpec;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.FrameSample;
import dev.nristream.job.window.SceneWindowState;
import dev.nristream.job.window.SceneWindower;
import dev.nristream.job.window.WindowFeatures;
import dev.nristream.job.window.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by scene: keeps the frames the next window needs ({@link SceneWindowState}), and every {@code stride}
 * model frames turns the window into a {@link WindowTask} (nodes selected, gaps filled, features normalised).
 * Frames more than {@code late.tolerance-ms} behind the watermark and frames that do not fit the model go to
 * {@link #DEAD_LETTERS}, and so do frames the scene cannot use: a frame index it already holds ({@code DUPLICATE}),
 * one older than its next window needs ({@code LATE}), one whose time contradicts its index ({@code TIME_BACKWARDS}). A scene's state and its timer are
 * dropped once the watermark passes its last event time plus {@code scene.idle-timeout-ms}.
 *
 * <p>Metrics: see {@link JobMetrics} (operator {@code scene-windows}).
 */
public final class SceneWindowFunction extends KeyedProcessFunction<String, FrameEnvelope, WindowTask>
        implements CheckpointListener {

    private static final long serialVersionUID = 1L;

    /** Dead letters of every operator of the job. */
    public static final OutputTag<DeadLetterEvent> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetterEvent.class));

    /** Name of the per-scene window state. */
    public static final String STATE_NAME = "scene-window";
    /** Name of the per-scene cleanup timer state. */
    public static final String TIMER_STATE_NAME = "scene-cleanup-timer";

    private final String modelJson;
    private final int stride;
    private final double maxMissingFraction;
    private final long lateToleranceMs;
    private final long idleTimeoutMs;
    private final FailureInjector failureInjector;

    private transient ModelSpec spec;
    private transient SceneWindower windower;
    private transient FeatureBuilder features;
    private transient ValueState<SceneWindowState> state;
    private transient ValueState<Long> cleanupAt;
    private transient Counter framesIn;
    private transient Counter duplicates;
    private transient Counter stale;
    private transient Counter windows;
    private transient Counter skipped;
    private transient Counter excluded;
    private transient Counter outOfRange;
    private transient Counter interpolated;
    private transient Counter expired;
    private transient Map<DeadLetterKind, Counter> deadLetters;

    /**
     * @param modelJson the model's {@code model.json} text (T, period, layout, normalisation)
     * @param stride model frames between windows (>= 1)
     * @param maxMissingFraction see {@link WindowSpec#maxMissingFraction()}
     * @param lateToleranceMs frames further behind the watermark are dead-lettered
     * @param idleTimeoutMs event time after a scene's last frame when its state is dropped
     * @param failureInjector {@link FailureInjector#NONE} outside tests
     */
    public SceneWindowFunction(String modelJson, int stride, double maxMissingFraction, long lateToleranceMs,
            long idleTimeoutMs, FailureInjector failureInjector) {
        this.modelJson = modelJson;
        this.stride = stride;
        this.maxMissingFraction = maxMissingFraction;
        this.lateToleranceMs = lateToleranceMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.failureInjector = failureInjector;
    }

    @Override
    public void open(OpenContext openContext) {
        spec = ModelSpec.parse(modelJson);
        WindowSpec ws = new WindowSpec(spec.windowLength(), spec.periodMs(), stride, maxMissingFraction,
                WindowSpec.DEFAULT_MAX_TRAILING_MISSING);
        windower = new SceneWindower(ws);
        features = new FeatureBuilder(spec, ws);
        state = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, SceneWindowStateSerializer.INSTANCE));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>(TIMER_STATE_NAME, Types.LONG));
        MetricGroup g = getRuntimeContext().getMetricGroup();
        framesIn = g.counter(JobMetrics.FRAMES_IN);
        g.meter(JobMetrics.FRAMES_PER_SECOND, new MeterView(framesIn));
        duplicates = g.counter(JobMetrics.DUPLICATE_FRAMES);
        stale = g.counter(JobMetrics.STALE_FRAMES);
        windows = g.counter(JobMetrics.WINDOWS);
        g.meter(JobMetrics.WINDOWS_PER_SECOND, new MeterView(windows));
        skipped = g.counter(JobMetrics.WINDOWS_SKIPPED);
        excluded = g.counter(JobMetrics.AGENTS_EXCLUDED);
        outOfRange = g.counter(JobMetrics.WINDOWS_OUT_OF_RANGE);
        interpolated = g.counter(JobMetrics.POINTS_INTERPOLATED);
        expired = g.counter(JobMetrics.SCENES_EXPIRED);
        deadLetters = DeadLetterRouter.deadLetterCounters(g);
    }

    @Override
    public void processElement(FrameEnvelope e, Context ctx, Collector<WindowTask> out) throws Exception {
        FrameSample f = e.frame;
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && f.eventTimeMs < watermark - lateToleranceMs) {
            deadLetter(ctx, e, DeadLetterKind.LATE, "scene " + e.sceneId + " frame " + f.frameIndex
                    + " has event time " + f.eventTimeMs + ", " + (watermark - f.eventTimeMs)
                    + " ms behind the watermark " + watermark + " (late.tolerance-ms " + lateToleranceMs + ")");
            return;
        }
        String mismatch = spec.feedMismatch(f.dims, "scene " + e.sceneId);
        if (mismatch != null) {
            deadLetter(ctx, e, DeadLetterKind.MODEL_MISMATCH, mismatch);
            return;
        }
        SceneWindowState s = state.value();
        if (s == null) {
            s = new SceneWindowState();
        }
        SceneWindower.Result r = windower.add(s, f);
        String where = "scene " + e.sceneId + " frame " + f.frameIndex;
        switch (r.outcome()) {
            case DUPLICATE -> {
                duplicates.inc();
                deadLetter(ctx, e, DeadLetterKind.DUPLICATE, where + " (event time " + f.eventTimeMs
                        + ") is already held: a re-sent frame, dropped");
                return;
            }
            case STALE -> {
                stale.inc();
                deadLetter(ctx, e, DeadLetterKind.LATE, where + " (event time " + f.eventTimeMs + ") is older than "
                        + "every frame the scene's next window needs (frames up to index " + s.maxEvictedIndex
                        + " were used and dropped)");
                return;
            }
            case TIME_BACKWARDS -> {
                deadLetter(ctx, e, DeadLetterKind.TIME_BACKWARDS, where + " has event time " + f.eventTimeMs
                        + ", which contradicts the frames the scene holds (indices " + s.frames[0].frameIndex + ".."
                        + s.frames[s.frames.length - 1].frameIndex + ", times " + s.frames[0].eventTimeMs + ".."
                        + s.frames[s.frames.length - 1].eventTimeMs + "): the scene's clock went backwards");
                return;
            }
            default -> framesIn.inc();
        }
        state.update(s);
        if (cleanupAt.value() == null) {
            long at = s.maxEventTimeMs + idleTimeoutMs;
            ctx.timerService().registerEventTimeTimer(at);
            cleanupAt.update(at);
        }
        if (r.window() == null) {
            return;
        }
        WindowFeatures wf = features.build(r.window());
        excluded.inc(wf.excluded().size());
        interpolated.inc(wf.interpolatedPoints());
        if (wf.nodes() < 2 || !spec.acceptsAtoms(wf.nodes())) {
            skipped.inc();
            return;
        }
        WindowTask t = new WindowTask();
        t.sceneId = e.sceneId;
        t.agentIds = wf.agentIds().toArray(new String[0]);
        t.features = wf.features();
        t.lastState = wf.lastState();
        t.startTimeMs = r.window().startTimeMs();
        t.endTimeMs = r.window().endTimeMs();
        t.startFrame = r.window().startFrame();
        t.endFrame = r.window().endFrame();
        t.excludedAgents = wf.excluded().size();
        t.interpolatedPoints = wf.interpolatedPoints();
        t.outOfRangeFraction = wf.outOfRangeFraction();
        if (t.outOfRangeFraction > 0) {
            outOfRange.inc();
        }
        failureInjector.beforeWindow(t);
        windows.inc();
        out.collect(t);
    }

    private void deadLetter(Context ctx, FrameEnvelope e, DeadLetterKind kind, String reason) {
        deadLetters.get(kind).inc();
        ctx.output(DEAD_LETTERS, DeadLetterEvent.of(e.topic, e.partition, e.offset, kind, reason,
                e.sceneId.getBytes(StandardCharsets.UTF_8), null,
                ctx.timerService().currentProcessingTime()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowTask> out) throws Exception {
        SceneWindowState s = state.value();
        if (s == null || s.maxEventTimeMs + idleTimeoutMs <= timestamp) {
            state.clear();
            cleanupAt.clear();
            expired.inc();
            return;
        }
        // Frames arrived since the timer was set: one timer per scene, moved forward lazily.
        long at = s.maxEventTimeMs + idleTimeoutMs;
        ctx.timerService().registerEventTimeTimer(at);
        cleanupAt.update(at);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        failureInjector.checkpointCompleted(checkpointId);
    }
}
