package dev.nristream.feed.csv;

/** How positions are laid out in a CSV file. */
public enum CsvLayout {
    /** One row per frame, columns {@code <agent>_x, <agent>_y[, <agent>_z]} per agent. */
    WIDE,
    /** One row per agent and frame: frame (or time), agent, x, y[, z]; a frame's rows are consecutive. */
    LONG
}
