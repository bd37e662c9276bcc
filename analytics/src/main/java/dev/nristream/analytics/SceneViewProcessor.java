package dev.nristream.analytics;

import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Keeps the {@link SceneView} of each live scene for the web view ({@value AnalyticsApp#SCENE_VIEW_STORE}, in
 * memory, no changelog: it is rebuilt from the live stream). Writes a scene's view at most once per
 * {@link SceneView#PATH_SPACING_MS} of its time, so the cost does not grow with the frame rate; frames with more
 * than {@link SceneView#MAX_AGENTS} agents or ids longer than {@link #MAX_ID_CHARS} are not drawn; at most
 * {@link #MAX_SCENES} scenes are kept and a scene without records for {@link AnalyticsConfig#idleTimeout()} is
 * dropped.
 */
final class SceneViewProcessor implements Processor<String, Object, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(SceneViewProcessor.class);

    /** Most scenes with a view. */
    static final int MAX_SCENES = 2_000;
    /** Longest agent or scene id drawn. */
    static final int MAX_ID_CHARS = 256;

    private final AnalyticsConfig cfg;
    private ProcessorContext<Void, Void> ctx;
    private KeyValueStore<String, SceneView> views;
    private boolean warnedFull;
    /** Scene time of each scene's last stored frame (bounded like the store: dropped with the idle scenes). */
    private final Map<String, Long> lastWrittenMs = new HashMap<>();

    SceneViewProcessor(AnalyticsConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.ctx = context;
        views = context.getStateStore(AnalyticsApp.SCENE_VIEW_STORE);
        context.schedule(cfg.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::dropIdleScenes);
    }

    @Override
    public void process(Record<String, Object> record) {
        Object v = record.value();
        if (v instanceof PositionFrame f && drawable(f)) {
            Long written = lastWrittenMs.get(f.getSceneId());
            if (written != null && f.getEventTimeMs() >= written
                    && f.getEventTimeMs() - written < SceneView.PATH_SPACING_MS) {
                return; // throttled without reading the store: most frames of a fast feed end here
            }
            SceneView view = view(f.getSceneId());
            if (view != null && f.getEventTimeMs() < view.timeMs - cfg.frameRetention().toMillis()) {
                view = new SceneView(f.getSceneId()); // the scene started again (a replay from the start)
            }
            if (view != null && (view.ids.isEmpty() || f.getEventTimeMs() - view.timeMs >= SceneView.PATH_SPACING_MS)) {
                view.addFrame(f, ctx.currentSystemTimeMs());
                views.put(f.getSceneId(), view);
                lastWrittenMs.put(f.getSceneId(), view.timeMs);
            }
        } else if (v instanceof TrajectoryForecast f && f.getSceneId().length() <= MAX_ID_CHARS
                && f.getAgents().size() <= SceneView.MAX_AGENTS) {
            SceneView view = view(f.getSceneId());
            if (view != null) {
                view.addForecast(f, ctx.currentSystemTimeMs());
                views.put(f.getSceneId(), view);
            }
        }
    }

    private static boolean drawable(PositionFrame f) {
        return f.getSceneId().length() <= MAX_ID_CHARS && f.getAgents().size() <= SceneView.MAX_AGENTS
                && f.getAgents().stream().allMatch(a -> a.getId().length() <= MAX_ID_CHARS);
    }

    private SceneView view(String scene) {
        SceneView view = views.get(scene);
        if (view != null) {
            return view;
        }
        if (views.approximateNumEntries() >= MAX_SCENES) {
            if (!warnedFull) {
                LOG.warn("web view: {} scenes already shown; scene {} and further new scenes are not drawn until "
                        + "some go idle", MAX_SCENES, scene);
                warnedFull = true;
            }
            return null;
        }
        return new SceneView(scene);
    }

    private void dropIdleScenes(long now) {
        List<String> ended = new ArrayList<>();
        try (KeyValueIterator<String, SceneView> it = views.all()) {
            while (it.hasNext()) {
                KeyValue<String, SceneView> kv = it.next();
                if (now - kv.value.lastWallMs >= cfg.idleTimeout().toMillis()) {
                    ended.add(kv.key);
                }
            }
        }
        ended.forEach(views::delete);
        ended.forEach(lastWrittenMs::remove);
        if (!ended.isEmpty()) {
            warnedFull = false;
        }
    }
}
