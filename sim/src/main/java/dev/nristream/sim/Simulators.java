package dev.nristream.sim;

/**
 * Entry point to the simulators.
 *
 * <pre>{@code
 * SimConfig cfg = SimConfig.builder().setSystem(SimSystem.CHARGED).setAtoms(5).build();
 * Scene scene = Simulators.forConfig(cfg).simulate(42, 0);
 * double[][][] loc = scene.loc();    // [49][2][5]
 * }</pre>
 */
public final class Simulators {
    private Simulators() {
    }

    /** The simulator for a configuration. */
    public static Simulator forConfig(SimConfig cfg) {
        return switch (cfg.system()) {
            case SPRINGS, CHARGED -> new ParticleSimulator(cfg);
            case KURAMOTO -> new KuramotoSimulator(cfg);
        };
    }
}
