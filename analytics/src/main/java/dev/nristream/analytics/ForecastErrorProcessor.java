package dev.nristream.analytics;

import dev.nristream.avro.ForecastError;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins forecasts with the actual later frames of their scene and publishes one {@link ForecastError} per step.
 *
 * <p>Frames are kept per scene keyed by event time ({@value AnalyticsApp#FRAMES_STORE}, the last
 * {@link AnalyticsConfig#frameRetention()} of scene time). A forecast step predicting time t is compared with the
 * scene's frame nearest to t within the match tolerance, once the scene's latest frame is at or after
 * t + tolerance + grace (so frames up to the grace period out of order still count). Steps not yet decidable wait
 * in {@value AnalyticsApp#PENDING_STORE}; a forecast arriving after its frames is scored at once. A scene without
 * records for {@link AnalyticsConfig#idleTimeout()} (wall clock) has ended: its waiting steps are scored with the
 * frames there are and its buffers are dropped. Each error also enters the scene's rolling
 * {@link ForecastErrorSummary} ({@value AnalyticsApp#FORECAST_ERROR_STORE}).
 *
 * <p>Both input topics must have the same partition count (scenes are keyed by id), so a scene's frames and
 * forecasts reach the same task.
 */
final class ForecastErrorProcessor implements Processor<String, Object, String, ForecastError> {

    private static final Logger LOG = LoggerFactory.getLogger(ForecastErrorProcessor.class);
    private static final BytesSerializer PREFIX = new BytesSerializer();

    private final AnalyticsConfig cfg;
    private ProcessorContext<String, ForecastError> ctx;
    private KeyValueStore<Bytes, FrameSnapshot> frames;
    private KeyValueStore<Bytes, PendingForecast> pending;
    private KeyValueStore<String, SceneClock> clocks;
    private KeyValueStore<Bytes, ErrorEntry> window;
    private KeyValueStore<String, ForecastErrorSummary> summaries;

    ForecastErrorProcessor(AnalyticsConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void init(ProcessorContext<String, ForecastError> context) {
        this.ctx = context;
        frames = context.getStateStore(AnalyticsApp.FRAMES_STORE);
        pending = context.getStateStore(AnalyticsApp.PENDING_STORE);
        clocks = context.getStateStore(AnalyticsApp.SCENE_CLOCK_STORE);
        window = context.getStateStore(AnalyticsApp.ERROR_WINDOW_STORE);
        summaries = context.getStateStore(AnalyticsApp.FORECAST_ERROR_STORE);
        context.schedule(cfg.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::endIdleScenes);
    }

    @Override
    public void process(Record<String, Object> record) {
        Object v = record.value();
        if (v instanceof PositionFrame f) {
            onFrame(f, record.timestamp());
        } else if (v instanceof TrajectoryForecast f) {
            onForecast(f, record.timestamp());
        }
    }

    private void onFrame(PositionFrame f, long ts) {
        String scene = f.getSceneId();
        long t = f.getEventTimeMs();
        SceneClock clock = touch(scene);
        long max = clock.maxFrameTimeMs() == null ? t : Math.max(clock.maxFrameTimeMs(), t);
        clocks.put(scene, new SceneClock(max, clock.lastWallMs()));
        long cutoff = max - cfg.frameRetention().toMillis();
        if (t < cutoff) {
            ForecastErrorSummary s = summary(scene);
            s.framesLate++;
            summaries.put(scene, s);
            return;
        }
        frames.put(SceneKeys.at(scene, t), FrameSnapshot.of(f));
        deleteRange(frames, scene, Long.MIN_VALUE, cutoff - 1);
        decidePending(scene, max, false, ts);
    }

    private void onForecast(TrajectoryForecast f, long ts) {
        String scene = f.getSceneId();
        SceneClock clock = touch(scene);
        PendingForecast p;
        try {
            p = PendingForecast.of(f);
        } catch (IllegalArgumentException e) {
            LOG.warn("scene {}: forecast of model {} from {} ms ignored: {}", scene, f.getModelId(),
                    f.getOriginTimeMs(), e.getMessage());
            ForecastErrorSummary s = summary(scene);
            s.forecastsInvalid++;
            summaries.put(scene, s);
            return;
        }
        Long max = clock.maxFrameTimeMs();
        long tol = cfg.toleranceMs(p.stepPeriodMs());
        if (max != null && p.targetTimeMs(p.horizon()) + tol < max - cfg.frameRetention().toMillis()) {
            LOG.debug("scene {}: forecast from {} ms arrived after its frames were dropped", scene,
                    p.originTimeMs());
            ForecastErrorSummary s = summary(scene);
            s.forecastsLate++;
            summaries.put(scene, s);
            return;
        }
        Bytes key = pendingKey(scene, p);
        if (pending.get(key) != null) {
            LOG.debug("scene {}: duplicate forecast from {} ms ignored", scene, p.originTimeMs());
            return;
        }
        PendingForecast rest = advance(scene, p, max, false, ts);
        if (rest != null) {
            pending.put(key, rest);
        }
    }

    /** Records activity of the scene; a scene seen again after it ended starts a fresh rolling window. */
    private SceneClock touch(String scene) {
        SceneClock clock = clocks.get(scene);
        long now = ctx.currentSystemTimeMs();
        if (clock == null) {
            ForecastErrorSummary s = summaries.get(scene);
            if (s != null && s.lastTargetMs != null) {
                s.resetWindow(s.modelId);
                summaries.put(scene, s);
            }
            clock = new SceneClock(null, now);
        } else {
            clock = new SceneClock(clock.maxFrameTimeMs(), now);
        }
        clocks.put(scene, clock);
        return clock;
    }

    private void decidePending(String scene, Long max, boolean flush, long ts) {
        List<KeyValue<Bytes, PendingForecast>> waiting = new ArrayList<>();
        try (KeyValueIterator<Bytes, PendingForecast> it = pending.prefixScan(SceneKeys.prefix(scene), PREFIX)) {
            it.forEachRemaining(waiting::add);
        }
        for (KeyValue<Bytes, PendingForecast> kv : waiting) {
            PendingForecast rest = advance(scene, kv.value, max, flush, ts);
            if (rest == null) {
                pending.delete(kv.key);
            } else if (rest.nextStep() != kv.value.nextStep()) {
                pending.put(kv.key, rest);
            }
        }
    }

    /** Scores the decidable steps of {@code p}; returns what still waits, or null when every step is done. */
    private PendingForecast advance(String scene, PendingForecast p, Long max, boolean flush, long ts) {
        long tol = cfg.toleranceMs(p.stepPeriodMs());
        long wait = tol + cfg.grace().toMillis();
        int k = p.nextStep();
        while (k <= p.horizon()) {
            long target = p.targetTimeMs(k);
            if (!flush && (max == null || max < target + wait)) {
                break;
            }
            score(scene, p, k, target, tol, ts);
            k++;
        }
        if (k > p.horizon()) {
            return null;
        }
        return k == p.nextStep() ? p : p.withNextStep(k);
    }

    private void score(String scene, PendingForecast p, int k, long target, long tol, long ts) {
        FrameSnapshot actual = nearest(scene, target, tol);
        ForecastErrorSummary s = summary(scene, p.modelId());
        StepError e = actual == null ? null : StepError.compare(p, k, actual);
        if (e == null || e.compared() == 0) {
            s.stepsUnmatched++;
            summaries.put(scene, s);
            return;
        }
        ForecastError out = ForecastError.newBuilder()
                .setSceneId(scene)
                .setModelId(p.modelId())
                .setOriginTimeMs(p.originTimeMs())
                .setOriginFrame(p.originFrame())
                .setStep(k)
                .setHorizon(p.horizon())
                .setTargetTimeMs(target)
                .setActualTimeMs(actual.timeMs())
                .setActualFrame(actual.frameIndex())
                .setMeanError(e.meanError())
                .setMaxError(e.maxError())
                .setAgentsCompared(e.compared())
                .setAgentsMissing(e.missing())
                .setDimensions(e.dimensions())
                .setUnit(actual.unit())
                .build();
        ctx.forward(new Record<>(scene, out, ts));
        s.errorsPublished++;
        s.unit = actual.unit();
        addToWindow(scene, s, p, k, target, e.meanError());
        summaries.put(scene, s);
    }

    private void addToWindow(String scene, ForecastErrorSummary s, PendingForecast p, int k, long target,
            double error) {
        long last = s.lastTargetMs == null ? target : Math.max(s.lastTargetMs, target);
        long oldest = last - cfg.errorWindow().toMillis();
        if (target <= oldest) {
            return; // scored late: published, but already outside the rolling window
        }
        Bytes key = SceneKeys.at(scene, target, SceneKeys.suffix(p.modelId(), p.originTimeMs(), k));
        ErrorEntry previous = window.get(key);
        if (previous != null) {
            s.remove(previous.step(), previous.error());
        }
        window.put(key, new ErrorEntry(k, error));
        s.add(k, error);
        s.lastTargetMs = last;
        List<Bytes> leaving = new ArrayList<>();
        try (KeyValueIterator<Bytes, ErrorEntry> it =
                window.range(SceneKeys.at(scene, Long.MIN_VALUE), SceneKeys.at(scene, oldest + 1))) {
            while (it.hasNext()) {
                KeyValue<Bytes, ErrorEntry> kv = it.next();
                if (SceneKeys.timeOf(kv.key) <= oldest) {
                    s.remove(kv.value.step(), kv.value.error());
                    leaving.add(kv.key);
                }
            }
        }
        leaving.forEach(window::delete);
    }

    private FrameSnapshot nearest(String scene, long target, long tol) {
        FrameSnapshot best = null;
        long bestDistance = Long.MAX_VALUE;
        try (KeyValueIterator<Bytes, FrameSnapshot> it =
                frames.range(SceneKeys.at(scene, target - tol), SceneKeys.at(scene, target + tol))) {
            while (it.hasNext()) {
                KeyValue<Bytes, FrameSnapshot> kv = it.next();
                long d = Math.abs(SceneKeys.timeOf(kv.key) - target);
                if (d < bestDistance) { // ascending times: on a tie the earlier frame wins
                    best = kv.value;
                    bestDistance = d;
                }
            }
        }
        return best;
    }

    private ForecastErrorSummary summary(String scene) {
        ForecastErrorSummary s = summaries.get(scene);
        return s != null ? s : new ForecastErrorSummary(scene, null, cfg.errorWindow().toMillis());
    }

    private ForecastErrorSummary summary(String scene, String modelId) {
        ForecastErrorSummary s = summary(scene);
        if (s.modelId == null) {
            s.modelId = modelId;
        } else if (!s.modelId.equals(modelId)) {
            LOG.info("scene {}: forecasts now from model {} (was {}): forecast-error window restarts", scene,
                    modelId, s.modelId);
            deletePrefix(window, scene);
            s.resetWindow(modelId);
        }
        return s;
    }

    private void endIdleScenes(long now) {
        List<String> ended = new ArrayList<>();
        try (KeyValueIterator<String, SceneClock> it = clocks.all()) {
            while (it.hasNext()) {
                KeyValue<String, SceneClock> kv = it.next();
                if (now - kv.value.lastWallMs() >= cfg.idleTimeout().toMillis()) {
                    ended.add(kv.key);
                }
            }
        }
        for (String scene : ended) {
            SceneClock clock = clocks.get(scene);
            decidePending(scene, clock.maxFrameTimeMs(), true, now);
            deletePrefix(frames, scene);
            deletePrefix(window, scene);
            clocks.delete(scene);
            LOG.info("scene {}: no records for {}, ended; its forecast-error buffers are dropped", scene,
                    cfg.idleTimeout());
        }
    }

    private static <V> void deleteRange(KeyValueStore<Bytes, V> store, String scene, long from, long to) {
        if (to < from) {
            return;
        }
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, V> it = store.range(SceneKeys.at(scene, from), SceneKeys.at(scene, to))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }

    static <V> void deletePrefix(KeyValueStore<Bytes, V> store, String scene) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, V> it = store.prefixScan(SceneKeys.prefix(scene), PREFIX)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }

    private static Bytes pendingKey(String scene, PendingForecast p) {
        return SceneKeys.at(scene, p.originTimeMs(), SceneKeys.suffix(p.modelId()));
    }
}
