package dev.nristream.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the demo feeds into the pipeline. */
public enum Scenario {
    /** K simulated springs scenes with ground-truth edges in every frame. */
    SPRINGS,
    /** K simulated charged-particle scenes (attracting and repelling pairs), ground truth in every frame. */
    CHARGED,
    /** K simulated Kuramoto scenes: coupled oscillators as points on the unit circle, true edges in every frame. */
    KURAMOTO,
    /** CMU motion capture trials (3D joints), replayed in a loop. */
    MOCAP,
    /** A SportVU game file (players and ball), replayed in a loop. */
    SPORTVU;

    /** The name on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the choices */
    public static Scenario parse(String s) {
        for (Scenario v : values()) {
            if (v.id().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + s + "'; choose one of "
                + Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", ")));
    }
}
