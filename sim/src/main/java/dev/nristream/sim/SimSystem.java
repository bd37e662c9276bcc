package dev.nristream.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The paper's three simulated benchmarks. */
public enum SimSystem {
    /** Particles joined by springs (Hooke's law), each pair connected with probability 0.5. */
    SPRINGS("springs"),
    /** Charged particles (+-1) that attract or repel by Coulomb's law. */
    CHARGED("charged"),
    /** Kuramoto phase oscillators with random 0/1 couplings. */
    KURAMOTO("kuramoto");

    private final String id;

    SimSystem(String id) {
        this.id = id;
    }

    /** The lower-case name used on the command line and in file suffixes ({@code _springs5}). */
    public String id() {
        return id;
    }

    /** True for the systems with positions and velocities (springs, charged). */
    public boolean isParticles() {
        return this != KURAMOTO;
    }

    /**
     * The system for a name, case-insensitive.
     *
     * @throws IllegalArgumentException naming the unknown system and the valid ones
     */
    public static SimSystem parse(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (SimSystem s : values()) {
            if (s.id.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown system '" + name + "' (expected one of "
                + Arrays.stream(values()).map(SimSystem::id).collect(Collectors.joining(", ")) + ")");
    }
}
