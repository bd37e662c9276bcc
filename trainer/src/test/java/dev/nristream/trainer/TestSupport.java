package dev.nristream.trainer;

import dev.nristream.sim.DatasetGenerator;
import dev.nristream.sim.DatasetSpec;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import java.io.IOException;
import java.nio.file.Path;

/** Small springs datasets for tests, drawn with the simulator (deterministic in the seed). */
public final class TestSupport {
    private TestSupport() {}

    public static Path springs(Path dir, int atoms, int train, int valid, int test, long seed) throws IOException {
        return simulate(SimSystem.SPRINGS, dir, atoms, train, valid, test, seed);
    }

    /** Like {@link #springs} with runs of {@code length} integration steps (length / 100 - 1 recorded states). */
    public static Path longSprings(Path dir, int atoms, int train, int valid, int test, long seed, int length)
            throws IOException {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(atoms).build();
        DatasetSpec spec = DatasetSpec.builder().setConfig(cfg).setOutDir(dir).optCounts(train, valid, test)
                .optLength(length).optLengthTest(length).optSeed(seed).optThreads(1).build();
        new DatasetGenerator().generate(spec, x -> { });
        return dir;
    }

    /** Like {@link #springs} for the charged system (every pair attracts or repels). */
    public static Path charged(Path dir, int atoms, int train, int valid, int test, long seed) throws IOException {
        return simulate(SimSystem.CHARGED, dir, atoms, train, valid, test, seed);
    }

    private static Path simulate(SimSystem system, Path dir, int atoms, int train, int valid, int test, long seed)
            throws IOException {
        SimConfig cfg = SimConfig.builder().setSystem(system).setAtoms(atoms).build();
        DatasetSpec spec = DatasetSpec.builder().setConfig(cfg).setOutDir(dir).optCounts(train, valid, test)
                .optSeed(seed).optThreads(1).build();
        new DatasetGenerator().generate(spec, x -> { });
        return dir;
    }

    public static String suffix(int atoms) {
        return "_springs" + atoms;
    }
}
