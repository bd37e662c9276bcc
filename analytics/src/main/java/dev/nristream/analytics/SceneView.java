package dev.nristream.analytics;

import dev.nristream.avro.Agent;
import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import java.util.ArrayList;
import java.util.List;

/**
 * What the web view draws of one scene besides its graph: the coordinate system, the agents at their latest
 * position, a short recent path, the ground-truth edges the frames carry (simulations) and the latest forecast.
 * Kept by {@link SceneViewProcessor} in {@value AnalyticsApp#SCENE_VIEW_STORE}, served inside
 * {@code /scenes/{id}/live}; the JSON names are the fields in snake case. Bounded: at most {@link #MAX_PATH}
 * path points of at most {@link #MAX_AGENTS} agents.
 */
public final class SceneView {

    /** Most agents a frame may have to be drawn; bigger frames are not kept (the job dead-letters them too). */
    static final int MAX_AGENTS = 512;
    /** Most path points kept per scene. */
    static final int MAX_PATH = 40;
    /** Least scene time between two path points, ms: the path spans about {@code MAX_PATH} of these. */
    static final long PATH_SPACING_MS = 100;

    public String sceneId;
    public String sourceKind;
    /** What the scene is, as its frames say ('springs', 'kuramoto', ...), or null; Kuramoto is drawn on its circle. */
    public String system;
    public String unit;
    public String origin;
    public int dimensions;
    /** Size of the playing area per axis, or null when unbounded. */
    public double[] extent;
    public long frameIndex;
    public long timeMs;
    /** Agent ids of the latest frame; {@link #teams} and the coordinates are in this order. */
    public List<String> ids = new ArrayList<>();
    public List<String> teams = new ArrayList<>();
    public double[] x = new double[0];
    public double[] y = new double[0];
    /** Null for 2D frames; NaN (JSON null) where a 3D frame's agent has no z. */
    public double[] z;
    /** Ground-truth edges of the latest frame, empty for real data. */
    public List<TrueEdge> groundTruth = new ArrayList<>();
    /** Recent positions, oldest first, of the agents in {@link #pathIds} order; restarts when the agents change. */
    public List<String> pathIds = new ArrayList<>();
    public List<PathPoint> path = new ArrayList<>();
    /** The latest forecast (by origin time), or null before the first. */
    public Forecast forecast;
    /** Wall-clock time of the scene's last record, ms: when it went idle. */
    public long lastWallMs;

    /** One ground-truth edge, sender to receiver, with the simulator's label. */
    public record TrueEdge(String sender, String receiver, int edgeType) {
    }

    /** Positions of the path's agents at one instant; {@code z} null in 2D. */
    public record PathPoint(long timeMs, double[] x, double[] y, double[] z) {
    }

    /** A forecast rollout: per agent, positions at steps 1..horizon ({@code z} null in 2D). */
    public record Forecast(String modelId, long originTimeMs, long originFrame, double stepPeriodMs, int horizon,
            List<ForecastTrack> agents) {
    }

    /** One agent's forecast positions. */
    public record ForecastTrack(String agentId, double[] x, double[] y, double[] z) {
    }

    public SceneView() {
    }

    SceneView(String sceneId) {
        this.sceneId = sceneId;
    }

    /** Takes a frame: newer frames replace the latest positions; the path keeps one point per spacing. */
    void addFrame(PositionFrame f, long wallMs) {
        lastWallMs = wallMs;
        if (f.getEventTimeMs() < timeMs && !ids.isEmpty()) {
            return; // out of order: the view shows the newest instant
        }
        List<Agent> agents = f.getAgents();
        int n = agents.size();
        boolean threeD = f.getCoordinates().getDimensions() == 3;
        List<String> newIds = new ArrayList<>(n);
        List<String> newTeams = new ArrayList<>(n);
        double[] nx = new double[n];
        double[] ny = new double[n];
        double[] nz = threeD ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            Agent a = agents.get(i);
            newIds.add(a.getId());
            newTeams.add(a.getTeam());
            nx[i] = a.getX();
            ny[i] = a.getY();
            if (threeD) {
                nz[i] = a.getZ() == null ? Double.NaN : a.getZ();
            }
        }
        sourceKind = f.getSourceKind().name();
        system = f.getSystem();
        unit = f.getCoordinates().getUnit();
        origin = f.getCoordinates().getOrigin();
        dimensions = threeD ? 3 : 2;
        List<Double> ext = f.getCoordinates().getExtent();
        extent = ext == null ? null : ext.stream().mapToDouble(Double::doubleValue).toArray();
        frameIndex = f.getFrameIndex();
        timeMs = f.getEventTimeMs();
        ids = newIds;
        teams = newTeams;
        x = nx;
        y = ny;
        z = nz;
        groundTruth = new ArrayList<>();
        if (f.getGroundTruthEdges() != null) {
            for (GroundTruthEdge e : f.getGroundTruthEdges()) {
                groundTruth.add(new TrueEdge(e.getSender(), e.getReceiver(), e.getEdgeType()));
            }
        }
        if (!newIds.equals(pathIds)) {
            pathIds = newIds;
            path = new ArrayList<>();
        }
        if (path.isEmpty() || timeMs - path.get(path.size() - 1).timeMs() >= PATH_SPACING_MS) {
            path.add(new PathPoint(timeMs, nx, ny, nz));
            if (path.size() > MAX_PATH) {
                path.remove(0);
            }
        }
    }

    /** Takes a forecast when it starts at or after the one shown. */
    void addForecast(TrajectoryForecast f, long wallMs) {
        lastWallMs = wallMs;
        if (forecast != null && f.getOriginTimeMs() < forecast.originTimeMs()) {
            return;
        }
        List<ForecastTrack> tracks = new ArrayList<>(f.getAgents().size());
        for (AgentForecast a : f.getAgents()) {
            tracks.add(new ForecastTrack(a.getAgentId(), doubles(a.getX()), doubles(a.getY()),
                    a.getZ() == null ? null : doubles(a.getZ())));
        }
        forecast = new Forecast(f.getModelId(), f.getOriginTimeMs(), f.getOriginFrame(), f.getStepPeriodMs(),
                f.getHorizon(), tracks);
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
