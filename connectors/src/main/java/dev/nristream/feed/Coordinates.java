package dev.nristream.feed;

import dev.nristream.avro.CoordinateSystem;
import java.util.List;

/** The coordinate systems the feeds use, built once. */
public final class Coordinates {

    /** NBA court in feet, origin at a corner, 94 x 50; the ball carries z (height in feet). */
    public static CoordinateSystem nbaCourtFeet() {
        return new CoordinateSystem("ft", "corner", 3, List.of(94.0, 50.0));
    }

    /** CMU mocap world frame in ASF length units or metres. */
    public static CoordinateSystem mocap(boolean metres) {
        return new CoordinateSystem(metres ? "m" : "asf", "world", 3, null);
    }

    private Coordinates() {
    }
}
