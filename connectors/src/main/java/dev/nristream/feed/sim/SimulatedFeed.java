package dev.nristream.feed.sim;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import dev.nristream.model.EdgeOrder;
import dev.nristream.sim.LiveScene;
import dev.nristream.sim.Scene;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.sim.Simulator;
import dev.nristream.sim.Simulators;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * K simulated scenes streamed side by side, one frame of each scene per time step (round robin), every frame
 * carrying its scene's ground-truth edges so accuracy can be measured live. One simulation time unit maps to one
 * second: with the reference sampling (0.1 time units per recorded state) frames are 10 Hz, 100 ms apart.
 *
 * <p>Springs, charged and Kuramoto on the unit circle ({@link dev.nristream.sim.KuramotoForm#CIRCLE}) step forever
 * ({@link LiveScene}); x, y are positions and vx, vy velocities in simulation units (an oscillator at
 * {@code (cos phi, sin phi)}). Kuramoto's research features have no live stepper (they are normalised over a whole
 * run), so each slot plays whole simulated scenes one after another (slot k plays indexes k, k + K, k + 2K, ...), the
 * agents carrying the research features in x, y, vx[, vy] = d phi/dt, sin phi, [phi,] omega.
 *
 * <p>Scene ids are {@code sim-<system><N>-s<seed>-<index>}; scene k of a run is seeded from (seed, index), so the
 * stream is the same whatever the thread or timing. Agents are {@code p0 .. p<N-1>}; ground-truth edges list every
 * ordered pair (sender j, receiver i), i != j, with the simulator's label (springs 0 none / 1 spring, charged
 * 0 attract / 1 repel, Kuramoto 0 / 1 coupling).
 *
 * <pre>{@code
 * SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5).build();
 * try (SimulatedFeed feed = new SimulatedFeed(cfg, 4, 42, 1000, System.currentTimeMillis())) {
 *     feed.forEachRemaining(sink); // 4 scenes x 1000 frames, interleaved
 * }
 * }</pre>
 */
public final class SimulatedFeed implements FrameSource {

    private final SimConfig cfg;
    private final Simulator simulator;
    private final int scenes;
    private final long seed;
    private final long framesPerScene;
    private final long startEpochMs;
    private final FeedProblems problems = FeedProblems.silent();
    private final Slot[] slots;
    private final CoordinateSystem coordinates;
    private final double rateHz;
    private final String[] ids;
    private long step;
    private int nextSlot;
    private volatile boolean closed;

    /**
     * @param cfg system, atoms and physics
     * @param scenes K scenes streamed side by side
     * @param seed run seed
     * @param framesPerScene frames per scene; {@code <= 0} streams until {@link #close()}
     * @param startEpochMs event time of time zero (tests pass a fixed value)
     */
    public SimulatedFeed(SimConfig cfg, int scenes, long seed, long framesPerScene, long startEpochMs) {
        if (scenes < 1) {
            throw new IllegalArgumentException("scenes must be at least 1, got " + scenes);
        }
        this.cfg = cfg;
        this.simulator = Simulators.forConfig(cfg);
        this.scenes = scenes;
        this.seed = seed;
        this.framesPerScene = framesPerScene;
        this.startEpochMs = startEpochMs;
        this.rateHz = cfg.samplingRateHz();
        this.ids = new String[cfg.atoms()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "p" + i;
        }
        if (cfg.system() == SimSystem.KURAMOTO && cfg.hasPositions()) {
            coordinates = new CoordinateSystem("sim", "center", 2, List.of(2.0, 2.0)); // the unit circle
        } else if (cfg.system().isParticles()) {
            double b = cfg.boxSize();
            coordinates = new CoordinateSystem("sim", "center", 2,
                    Double.isInfinite(b) ? null : List.of(2 * b, 2 * b));
        } else {
            coordinates = new CoordinateSystem("kuramoto-features", "none", 2, null);
        }
        slots = new Slot[scenes];
        for (int k = 0; k < scenes; k++) {
            slots[k] = new Slot(k);
        }
    }

    /** Frames between two steps of one scene, in Hz (10.0 with the reference sampling). */
    public double samplingRateHz() {
        return rateHz;
    }

    /** The scene id of a simulation index. */
    public String sceneId(long index) {
        return "sim-" + cfg.system().id() + cfg.atoms() + "-s" + seed + "-" + index;
    }

    @Override
    public boolean hasNext() {
        return !closed && (framesPerScene <= 0 || step < framesPerScene);
    }

    @Override
    public PositionFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PositionFrame f = slots[nextSlot].frame(step);
        if (++nextSlot == scenes) {
            nextSlot = 0;
            step++;
        }
        return f;
    }

    /** One of the K concurrent scenes. */
    private final class Slot {
        private final int k;
        private long index;
        private LiveScene live;
        private Scene whole;
        private double[][][] features;
        private int wholeFrame;
        private List<GroundTruthEdge> edges;
        private String sceneId;
        private long sceneStartStep;
        private final double[] loc = new double[2 * cfg.atoms()];
        private final double[] vel = new double[2 * cfg.atoms()];

        Slot(int k) {
            this.k = k;
            this.index = k;
            open();
        }

        private void open() {
            sceneId = sceneId(index);
            if (cfg.hasPositions()) {
                live = simulator.live(seed, index);
                edges = edges(live.edgeLabels());
            } else {
                whole = simulator.simulate(seed, index);
                features = whole.features();
                wholeFrame = 0;
                edges = edges(whole.edgeLabels());
            }
        }

        PositionFrame frame(long globalStep) {
            int n = cfg.atoms();
            List<Agent> agents = new ArrayList<>(n);
            if (live != null) {
                live.next(loc, vel);
                for (int i = 0; i < n; i++) {
                    agents.add(new Agent(ids[i], null, null, loc[i], loc[n + i], null, vel[i], vel[n + i], null));
                }
            } else {
                if (wholeFrame == whole.steps()) {
                    index += scenes;
                    sceneStartStep = globalStep;
                    open();
                }
                int d = whole.featureDims();
                for (int i = 0; i < n; i++) {
                    double[] f = features[i][wholeFrame];
                    agents.add(new Agent(ids[i], null, null, f[0], f[1], null, f[2], d > 3 ? f[3] : null, null));
                }
                wholeFrame++;
            }
            long frameIndex = globalStep - sceneStartStep;
            long timeMs = startEpochMs + Math.round(globalStep * cfg.frameInterval() * 1000.0);
            return new PositionFrame(sceneId, SourceKind.SIMULATION, frameIndex, timeMs, rateHz, coordinates, agents,
                    edges, cfg.system().id()); // the system name lets a job serving several models pick its model
        }
    }

    /** Labels in edge order to (sender j, receiver i, type). */
    private List<GroundTruthEdge> edges(int[] labels) {
        List<GroundTruthEdge> out = new ArrayList<>(labels.length);
        EdgeOrder.forEach(cfg.atoms(), (e, i, j) -> out.add(new GroundTruthEdge(ids[j], ids[i], labels[e])));
        return List.copyOf(out);
    }

    public SimSystem system() {
        return cfg.system();
    }

    @Override
    public FeedProblems problems() {
        return problems;
    }

    @Override
    public String description() {
        return "simulated " + cfg.system().id() + " x" + scenes + " (seed " + seed + ")";
    }

    /** Stops an endless feed; safe from another thread. */
    @Override
    public void close() {
        closed = true;
    }
}
