package dev.nristream.sim;

/**
 * Runs simulations of one {@link SimConfig}. Implementations are immutable and thread-safe; every scene depends
 * only on (run seed, index).
 *
 * <pre>{@code
 * Simulator sim = Simulators.forConfig(cfg);
 * Scene s = sim.simulate(42, 7);                 // the 8th scene of run 42, on any thread
 * for (Scene scene : sim.scenes(42)) { ... }    // scenes 0, 1, 2, ... one by one
 * LiveScene live = sim.live(42, 0);              // positions (not Kuramoto's research features), forever
 * }</pre>
 */
public interface Simulator {

    SimConfig config();

    /** Simulation {@code index} of run {@code runSeed}. */
    Scene simulate(long runSeed, long index);

    /** Scenes {@code 0, 1, 2, ...} of a run, drawn lazily. */
    default SceneStream scenes(long runSeed) {
        return new SceneStream(this, runSeed, 0);
    }

    /**
     * A stateful stepper over simulation {@code index}: frame k equals state k of {@link #simulate} (without noise),
     * and it goes on past the configured length for as long as it is called.
     *
     * @throws UnsupportedOperationException for Kuramoto's research features, which are normalised over a whole run
     *     (the circle form steps live)
     */
    LiveScene live(long runSeed, long index);
}
