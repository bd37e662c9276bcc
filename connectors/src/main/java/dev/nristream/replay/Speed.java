package dev.nristream.replay;

import java.util.Locale;

/**
 * Replay speed: 1 plays in real time from the frames' timestamps, N plays N times faster, {@link #MAX} as fast as
 * the sink takes frames.
 *
 * @param factor how many times faster than real time; {@code +Infinity} for max
 */
public record Speed(double factor) {

    public static final Speed REAL_TIME = new Speed(1.0);
    public static final Speed MAX = new Speed(Double.POSITIVE_INFINITY);

    public Speed {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("speed must be a positive number or 'max', got " + factor);
        }
    }

    /**
     * Parses "max", "1", "2.5", "10x".
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static Speed parse(String s) {
        String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return MAX;
        }
        if (t.endsWith("x")) {
            t = t.substring(0, t.length() - 1);
        }
        double f;
        try {
            f = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("speed must be a positive number or 'max', got '" + s + "'");
        }
        if (!(f > 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("speed must be a positive number or 'max', got '" + s + "'");
        }
        return new Speed(f);
    }

    public boolean isMax() {
        return Double.isInfinite(factor);
    }

    @Override
    public String toString() {
        return isMax() ? "max" : factor + "x";
    }
}
