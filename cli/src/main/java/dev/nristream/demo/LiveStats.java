package dev.nristream.demo;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.Edge;
import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.ForecastError;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.graph.StrongestEdges;
import dev.nristream.model.EdgeAccuracy;
import dev.nristream.topic.Topics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo has seen on its topics, kept up to date by one thread ({@link TopicMonitor}) and read as immutable
 * {@link LiveSnapshot}s by the console view and the summary. All methods are synchronized: updates come at tens of
 * records per second, snapshots once a second.
 *
 * <p>Per scene: the ground-truth edges from its frames (simulated feeds), the latest graph's strongest edges, the
 * edge accuracy of every graph against the truth (see {@link EdgeAccuracy}; the best assignment of edge types is
 * chosen over all scenes together), forecast error per step, and the end-to-end lag of each graph: the graph's
 * processing time minus the time the producer stamped on the window's last frame (so the lag means the same for
 * replays of old recordings as for live feeds).
 */
public final class LiveStats {

    /** Strongest edges shown per scene. */
    public static final int TOP_EDGES = 3;
    /** Latest lag samples kept for the median. */
    static final int LAG_SAMPLES = 128;
    /** Frame send times kept per scene for the lag (the window's last frame is among the latest few). */
    static final int FRAME_TIMES = 4096;

    private final long startMs;
    private final int noEdgeType;
    private final Map<String, Long> records = new LinkedHashMap<>();
    private final Map<String, Scene> scenes = new TreeMap<>();
    private final EdgeAccuracy overall = new EdgeAccuracy();
    private final StepErrors stepErrors = new StepErrors();
    private final Map<String, Long> deadLetters = new TreeMap<>();
    private final long[] lags = new long[LAG_SAMPLES];
    private int lagCount;
    private long lagMax;
    private String errorUnit;
    private List<String> edgeTypeNames = List.of();
    private long firstGraphMs = -1;
    private long undecodable;

    /**
     * @param startMs wall-clock time the demo started (time to first graph counts from here)
     * @param noEdgeType the model's "no edge" type, or -1 when every type is an interaction
     */
    public LiveStats(long startMs, int noEdgeType) {
        this.startMs = startMs;
        this.noEdgeType = noEdgeType;
        for (var t : List.of(Topics.POSITIONS, Topics.GRAPHS, Topics.FORECASTS, Topics.FORECAST_ERRORS,
                Topics.EDGE_STATS, Topics.POSITIONS_DLQ)) {
            records.put(t.name(), 0L);
        }
    }

    private Scene scene(String id) {
        return scenes.computeIfAbsent(id, Scene::new);
    }

    private void count(String topic) {
        records.merge(topic, 1L, Long::sum);
    }

    /** A frame from {@code tracking.positions}, with the record's producer timestamp. */
    public synchronized void onFrame(PositionFrame f, long recordTimestampMs) {
        count(Topics.POSITIONS.name());
        Scene s = scene(f.getSceneId());
        s.frames++;
        s.frameTimes.put(f.getFrameIndex(), recordTimestampMs);
        List<GroundTruthEdge> gt = f.getGroundTruthEdges();
        if (gt != null && !gt.isEmpty()) {
            // Simulated scenes keep their edges for the whole scene: rebuild only when they change.
            if (s.truthSource != gt.hashCode()) {
                s.truth.clear();
                for (GroundTruthEdge e : gt) {
                    s.truth.put(pair(e.getSender(), e.getReceiver()), e.getEdgeType());
                }
                s.truthSource = gt.hashCode();
            }
        }
    }

    /** A graph from {@code nri.graphs}, seen at wall-clock {@code nowMs}. */
    public synchronized void onGraph(InteractionGraph g, long nowMs) {
        count(Topics.GRAPHS.name());
        if (firstGraphMs < 0) {
            firstGraphMs = nowMs;
        }
        edgeTypeNames = List.copyOf(g.getEdgeTypeNames());
        Scene s = scene(g.getSceneId());
        s.graphs++;
        s.agents = g.getAgentIds().size();
        s.modelId = g.getModelId();
        int noEdge = noEdgeIndex(g);
        List<Edge> strongest = new ArrayList<>();
        for (Edge e : g.getEdges()) {
            if (e.getEdgeType() != noEdge) {
                strongest.add(e);
            }
            Integer truth = s.truth.get(pair(e.getSender(), e.getReceiver()));
            if (truth != null && truth >= 0 && e.getEdgeType() >= 0) {
                s.accuracy.add(truth, e.getEdgeType());
                overall.add(truth, e.getEdgeType());
            }
        }
        strongest.sort(Comparator.comparingDouble((Edge e) -> StrongestEdges.strength(e, noEdge)).reversed());
        List<String> top = new ArrayList<>();
        for (Edge e : strongest.subList(0, Math.min(TOP_EDGES, strongest.size()))) {
            top.add(StrongestEdges.describe(e, g.getEdgeTypeNames()));
        }
        s.topEdges = List.copyOf(top);
        s.interactions = strongest.size();
        s.edges = g.getEdges().size();
        Float oor = g.getOutOfRangeFraction();
        s.lastOutOfRange = oor == null ? Double.NaN : oor;
        if (oor != null && oor > 0) {
            s.outOfRangeGraphs++;
        }
        Long sent = s.frameTimes.get(g.getWindowEndFrame());
        if (sent != null) {
            long lag = Math.max(0, g.getProcessingTimeMs() - sent);
            lags[lagCount++ % LAG_SAMPLES] = lag;
            lagMax = Math.max(lagMax, lag);
        }
    }

    /** A forecast from {@code nri.forecasts}. */
    public synchronized void onForecast(TrajectoryForecast f) {
        count(Topics.FORECASTS.name());
        scene(f.getSceneId()).forecasts++;
    }

    /** One step's error from {@code nri.forecast-errors}. */
    public synchronized void onForecastError(ForecastError e) {
        count(Topics.FORECAST_ERRORS.name());
        stepErrors.add(e.getStep(), e.getMeanError());
        scene(e.getSceneId()).errors.add(e.getStep(), e.getMeanError());
        errorUnit = e.getUnit();
    }

    /** Rolling edge statistics from {@code nri.edge-stats} (counted; the view shows graphs directly). */
    public synchronized void onEdgeStats(EdgeStats s) {
        count(Topics.EDGE_STATS.name());
    }

    /** A dead letter from {@code tracking.positions.dlq}. */
    public synchronized void onDeadLetter(DeadLetter d) {
        count(Topics.POSITIONS_DLQ.name());
        deadLetters.merge(d.getErrorKind(), 1L, Long::sum);
    }

    /** A record on {@code topic} that did not decode (counted under its topic and as undecodable). */
    public synchronized void onUndecodable(String topic) {
        count(topic);
        undecodable++;
    }

    /** Records counted on {@code topic} so far. */
    public synchronized long records(String topic) {
        return records.getOrDefault(topic, 0L);
    }

    /** An immutable copy of everything, for rendering at wall-clock {@code nowMs}. */
    public synchronized LiveSnapshot snapshot(long nowMs) {
        EdgeAccuracy.Result best = overall.best();
        int[] assignment = best.assignment();
        List<LiveSnapshot.SceneView> views = new ArrayList<>();
        for (Scene s : scenes.values()) {
            views.add(new LiveSnapshot.SceneView(s.id, s.frames, s.graphs, s.forecasts, s.agents, s.interactions,
                    s.edges, s.accuracy.compared() == 0 ? Double.NaN : s.accuracy.accuracy(assignment),
                    s.accuracy.compared(), s.topEdges, s.errors.overallMean(), !s.truth.isEmpty(),
                    s.outOfRangeGraphs, s.lastOutOfRange));
        }
        Map<String, Integer> named = new LinkedHashMap<>();
        for (int k = 0; k < assignment.length; k++) {
            named.put(k < edgeTypeNames.size() ? edgeTypeNames.get(k) : "type" + k, assignment[k]);
        }
        long[] recent = Arrays.copyOf(lags, Math.min(lagCount, LAG_SAMPLES));
        Arrays.sort(recent);
        Long lagP50 = recent.length == 0 ? null : recent[recent.length / 2];
        return new LiveSnapshot(nowMs, startMs, firstGraphMs < 0 ? null : firstGraphMs, new LinkedHashMap<>(records),
                views, best.accuracy(), best.compared(), named, stepErrors.means(), stepErrors.counts(), errorUnit,
                new TreeMap<>(deadLetters), lagP50, lagCount == 0 ? null : lagMax, lagCount, undecodable);
    }

    /**
     * Index of the "no edge" type of {@code g}: the graph's own {@code no_edge_type}. Graphs written before that
     * field existed do not carry it: for those, the demo's model's, else the one named so (StrongestEdges' rule).
     */
    private int noEdgeIndex(InteractionGraph g) {
        if (g.getNoEdgeType() == null && noEdgeType >= 0 && noEdgeType < g.getEdgeTypeNames().size()) {
            return noEdgeType;
        }
        return StrongestEdges.noEdgeIndex(g);
    }

    private static String pair(String sender, String receiver) {
        return sender + '\u0000' + receiver;
    }

    private static final class Scene {
        final String id;
        final Map<String, Integer> truth = new HashMap<>();
        int truthSource;
        final Map<Long, Long> frameTimes = new LinkedHashMap<>(256, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > FRAME_TIMES;
            }
        };
        final EdgeAccuracy accuracy = new EdgeAccuracy();
        final StepErrors errors = new StepErrors();
        long frames;
        long outOfRangeGraphs;
        double lastOutOfRange = Double.NaN;
        long graphs;
        long forecasts;
        int agents;
        int interactions;
        int edges;
        String modelId;
        List<String> topEdges = List.of();

        Scene(String id) {
            this.id = id;
        }
    }
}
