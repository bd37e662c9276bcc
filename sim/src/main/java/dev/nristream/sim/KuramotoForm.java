package dev.nristream.sim;

import java.util.Locale;

/**
 * How Kuramoto oscillators are written and streamed.
 *
 * <ul>
 *   <li>{@link #FEATURES}: the research code's {@code feat_} files (d phi/dt, sin phi, [phi,] omega, each scaled to
 *   [-1, 1] over the whole run, d phi/dt zeroed for an oscillator nothing drives): how the paper's Table 1 and 2 rows
 *   are reproduced. The scaling looks at the whole run, so a live stream cannot compute it.</li>
 *   <li>{@link #CIRCLE}: each oscillator as a point on the unit circle, {@code (cos phi, sin phi)}, with its velocity
 *   {@code d phi/dt (-sin phi, cos phi)} ({@code loc_/vel_} files like the particle systems). Everything a window
 *   needs is in the window, nothing about the couplings is in the inputs, the natural frequencies are not given
 *   (a real oscillator feed does not know them), and scenes can be stepped forever: the form a live feed carries
 *   and the stream serves.</li>
 * </ul>
 */
public enum KuramotoForm {
    FEATURES,
    CIRCLE;

    /** The command-line spelling. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code features} or {@code circle}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KuramotoForm parse(String s) {
        for (KuramotoForm f : values()) {
            if (f.id().equalsIgnoreCase(s.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("Kuramoto form must be 'features' (the research files) or 'circle' (points "
                + "on the unit circle, for live streams), got '" + s + "'");
    }
}
