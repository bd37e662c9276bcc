package dev.nristream.sim;

import java.util.SplittableRandom;

/**
 * Springs and charged particles, integrated as the reference setup does: one kick, then for i = 1 .. L-1 a drift
 * with wall reflection, the state recorded when i % f == 0, and a kick with clipped forces.
 *
 * <p>Steps after the last recorded state cannot change the output, so they are not run.
 */
final class ParticleSimulator implements Simulator {
    private final SimConfig cfg;

    ParticleSimulator(SimConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public SimConfig config() {
        return cfg;
    }

    @Override
    public Scene simulate(long runSeed, long index) {
        SplittableRandom rng = Seeds.forScene(runSeed, index);
        ParticleState s = ParticleState.create(cfg, rng);
        int n = cfg.atoms();
        int steps = cfg.recordedSteps();
        double[] loc = new double[steps * 2 * n];
        double[] vel = new double[steps * 2 * n];
        s.kick();
        for (int t = 0; t < steps; t++) {
            s.advanceAndRecord(cfg.sampleFreq(), loc, vel, t * 2 * n);
        }
        if (cfg.noiseStd() > 0) {
            addNoise(loc, rng);
            addNoise(vel, rng);
        }
        int[] charges = s instanceof ParticleState.ChargedState c ? c.charges.clone() : null;
        return new Scene(cfg.system(), runSeed, index, n, steps, 4, loc, vel, null, s.edges, charges);
    }

    private void addNoise(double[] a, SplittableRandom rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] += rng.nextGaussian() * cfg.noiseStd();
        }
    }

    @Override
    public LiveScene live(long runSeed, long index) {
        SplittableRandom rng = Seeds.forScene(runSeed, index);
        ParticleState s = ParticleState.create(cfg, rng);
        s.kick();
        return new LiveScene(cfg, runSeed, index, s.edges, (l, v) -> s.advanceAndRecord(cfg.sampleFreq(), l, v, 0),
                rng);
    }
}
