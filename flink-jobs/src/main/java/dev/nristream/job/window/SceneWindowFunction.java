package dev.nristream.job.window;

import dev.nristream.job.DeadLetterEvent;
import dev.nristream.job.DeadLetterKind;
import dev.nristream.job.FrameEnvelope;
import dev.nristream.job.JobMetrics;
import dev.nristream.job.WindowTask;
import dev.nristream.job.serving.FeedKind;
import dev.nristream.job.serving.ModelCatalog;
import dev.nristream.job.serving.ServedModel;
import dev.nristream.model.ModelSpec;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.FrameSample;
import dev.nristream.job.window.SceneWindowState;
import dev.nristream.job.window.SceneWindower;
import dev.nristream.job.window.WindowFeatures;
import dev.nristream.job.window.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
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
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by scene: picks the scene's model on its first usable frame ({@link ModelCatalog}: the served model that
 * fits what the frames say they are), keeps the frames the next window needs ({@link SceneWindowState}), and every
 * {@code stride} frames of that model turns the window into a {@link WindowTask} for that model (the model's window
 * length and sampling rate; nodes selected, gaps filled, features normalised). A scene no served model fits is
 * dead-lettered frame by frame as {@code MODEL_MISMATCH}, the reason naming the scene's kind and every model loaded.
 * Frames more than {@code late.tolerance-ms} behind the watermark and frames that do not fit the model go to
 * {@link #DEAD_LETTERS}, and so do frames the scene cannot use: a frame index it already holds ({@code DUPLICATE}),
 * one older than its next window needs ({@code LATE}), one whose time contradicts its index ({@code TIME_BACKWARDS}),
 * one leaving an agent's z out when its model reads z ({@code INVALID_FRAME}). A frame with more axes than its model
 * reads and the model's {@code feed_dims} (SportVU's ball height) keeps the first ones. A scene's state and its timer are
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
    /** Name of the per-scene state holding the slot of the scene's model ({@link ServedModel#slot}). */
    public static final String MODEL_STATE_NAME = "scene-model";

    private final List<ServedModel> models;
    private final int strideSetting;
    private final double maxMissingFraction;
    private final long lateToleranceMs;
    private final long idleTimeoutMs;
    private final FailureInjector failureInjector;

    private transient Map<String, ForModel> byModelId;
    private transient ValueState<SceneWindowState> state;
    private transient ValueState<String> sceneModel;
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
        this(List.of(single(modelJson)), stride, maxMissingFraction, lateToleranceMs, idleTimeoutMs, failureInjector);
    }

    private static ServedModel single(String modelJson) {
        ModelSpec spec = ModelSpec.parse(modelJson);
        return ServedModel.of(spec.modelId(), spec, null);
    }

    /**
     * @param models the served models, in the order that breaks ties ({@link ModelCatalog#choose})
     * @param strideSetting frames of the scene's model between windows; 0 = one window per second of scene time at
     *     that model's rate
     */
    public SceneWindowFunction(List<ServedModel> models, int strideSetting, double maxMissingFraction,
            long lateToleranceMs, long idleTimeoutMs, FailureInjector failureInjector) {
        ModelCatalog.requireServable(models);
        this.models = List.copyOf(models);
        this.strideSetting = strideSetting;
        this.maxMissingFraction = maxMissingFraction;
        this.lateToleranceMs = lateToleranceMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.failureInjector = failureInjector;
    }

    @Override
    public void open(OpenContext openContext) {
        byModelId = new HashMap<>();
        for (ServedModel m : models) {
            forModel(m);
        }
        state = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, SceneWindowStateSerializer.INSTANCE));
        sceneModel = getRuntimeContext().getState(new ValueStateDescriptor<>(MODEL_STATE_NAME, Types.STRING));
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
        onFrame(e, ctx.timerService(), d -> ctx.output(DEAD_LETTERS, d), slot -> null, out);
    }

    /**
     * The work of {@link #processElement}, also done for {@link ModelSwapWindowFunction}.
     *
     * @param swapped the model swapped into a slot while the job runs, or null for the configured one
     */
    void onFrame(FrameEnvelope e, TimerService timers, Consumer<DeadLetterEvent> dlq,
            Function<String, ServedModel> swapped, Collector<WindowTask> out) throws Exception {
        Ctx ctx = new Ctx(timers, dlq);
        FrameSample f = e.frame;
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && f.eventTimeMs < watermark - lateToleranceMs) {
            deadLetter(ctx, e, DeadLetterKind.LATE, "scene " + e.sceneId + " frame " + f.frameIndex
                    + " has event time " + f.eventTimeMs + ", " + (watermark - f.eventTimeMs)
                    + " ms behind the watermark " + watermark + " (late.tolerance-ms " + lateToleranceMs + ")");
            return;
        }
        ServedModel model = modelOf(e, swapped);
        if (model == null) {
            deadLetter(ctx, e, DeadLetterKind.MODEL_MISMATCH, ModelCatalog.noModelReason(currentModels(swapped),
                    FeedKind.of(e.sourceKind, e.system, f.dims, f.agentCount())) + " (scene " + e.sceneId + ")");
            return;
        }
        ForModel fm = forModel(model);
        ModelSpec spec = fm.spec;
        String mismatch = spec.feedMismatch(f.dims, "scene " + e.sceneId);
        if (mismatch != null) {
            deadLetter(ctx, e, DeadLetterKind.MODEL_MISMATCH, mismatch);
            return;
        }
        if (spec.dropsAxes(f.dims)) {
            f = f.firstAxes(spec.spatialDims()); // e.g. SportVU's ball height, which the court-plane model never saw
        } else if (f.dims == 3) {
            String noZ = f.firstWithoutZ();
            if (noZ != null) {
                deadLetter(ctx, e, DeadLetterKind.INVALID_FRAME, "scene " + e.sceneId + " frame " + f.frameIndex
                        + ": agent " + noZ + " has no z in a 3D frame, and model " + model.modelId + " reads z");
                return;
            }
        }
        SceneWindowState s = state.value();
        if (s == null) {
            s = new SceneWindowState();
        }
        SceneWindower.Result r = fm.windower.add(s, f);
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
        WindowFeatures wf = fm.features.build(r.window());
        excluded.inc(wf.excluded().size());
        interpolated.inc(wf.interpolatedPoints());
        if (wf.nodes() < 2 || !spec.acceptsAtoms(wf.nodes())) {
            skipped.inc();
            return;
        }
        WindowTask t = new WindowTask();
        t.sceneId = e.sceneId;
        t.modelId = model.modelId;
        t.modelDir = model.modelDir;
        t.agentIds = wf.agentIds().toArray(new String[0]);
        t.features = wf.features();
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

    /**
     * The scene's model: the one chosen on its first usable frame (kept in keyed state, so a scene never changes
     * model with its frames), else the one that fits this frame (remembered), else null. With one served model that
     * model is the scene's, as it always was: a frame that does not fit it gets the model's own mismatch reason.
     */
    private ServedModel modelOf(FrameEnvelope e, Function<String, ServedModel> swapped) throws Exception {
        String slot = sceneModel.value();
        if (slot != null) {
            return servedIn(slot, swapped);
        }
        if (models.size() == 1) {
            return servedIn(models.get(0).slot, swapped); // nothing to remember: every scene has the one slot
        }
        ServedModel m = ModelCatalog.choose(currentModels(swapped), FeedKind.of(e.sourceKind, e.system, e.frame.dims,
                        e.frame.agentCount()));
        if (m != null) {
            // the frame fits the model's layout, so it is kept and the scene's cleanup timer clears this too
            sceneModel.update(m.slot);
        }
        return m;
    }

    /** The model serving {@code slot} now. */
    private ServedModel servedIn(String slot, Function<String, ServedModel> swapped) {
        ServedModel now = swapped.apply(slot);
        if (now != null) {
            return now;
        }
        for (ServedModel m : models) {
            if (m.slot.equals(slot)) {
                return m;
            }
        }
        throw new IllegalStateException("scene state names model slot " + slot + ", which this job does not serve ("
                + models.stream().map(m -> m.slot).toList() + "): restored from a job with other models?");
    }

    /** Every served model, in configured order. */
    List<ServedModel> currentModels(Function<String, ServedModel> swapped) {
        List<ServedModel> now = new java.util.ArrayList<>(models.size());
        for (ServedModel m : models) {
            ServedModel s = swapped.apply(m.slot);
            now.add(s != null ? s : m);
        }
        return now;
    }

    /** The configured models, in order. */
    List<ServedModel> configuredModels() {
        return models;
    }

    private ForModel forModel(ServedModel m) {
        return byModelId.computeIfAbsent(m.modelId, id -> {
            ModelSpec spec = m.spec();
            int stride = strideSetting > 0 ? strideSetting : Math.max(1, (int) Math.round(spec.samplingRateHz()));
            WindowSpec ws = new WindowSpec(spec.windowLength(), spec.periodMs(), stride, maxMissingFraction,
                    WindowSpec.DEFAULT_MAX_TRAILING_MISSING);
            return new ForModel(spec, new SceneWindower(ws), new FeatureBuilder(spec, ws));
        });
    }

    /** What windows and features a model needs, built once per model. */
    private record ForModel(ModelSpec spec, SceneWindower windower, FeatureBuilder features) {
    }

    /** What the frame handling needs of a process function's context. */
    private record Ctx(TimerService timerService, Consumer<DeadLetterEvent> dlq) {
        void output(OutputTag<DeadLetterEvent> tag, DeadLetterEvent d) {
            dlq.accept(d);
        }
    }

    private void deadLetter(Ctx ctx, FrameEnvelope e, DeadLetterKind kind, String reason) {
        deadLetters.get(kind).inc();
        ctx.output(DEAD_LETTERS, DeadLetterEvent.of(e.topic, e.partition, e.offset, kind, reason,
                e.sceneId.getBytes(StandardCharsets.UTF_8), null,
                ctx.timerService().currentProcessingTime()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowTask> out) throws Exception {
        onCleanupTimer(timestamp, ctx.timerService());
    }

    /** The work of {@link #onTimer}, also done for {@link ModelSwapWindowFunction}. */
    void onCleanupTimer(long timestamp, TimerService timers) throws Exception {
        Ctx ctx = new Ctx(timers, null);
        SceneWindowState s = state.value();
        if (s == null || s.maxEventTimeMs + idleTimeoutMs <= timestamp) {
            state.clear();
            cleanupAt.clear();
            sceneModel.clear();
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
