package dev.nristream.feed;

/**
 * What went wrong (or what was noteworthy) while reading a feed. {@link #isNote() Notes} are expected features of
 * real data (duplicate SportVU moments, events without moments, agents absent from a frame): they are counted in
 * the summary but never printed one by one.
 */
public enum ProblemKind {
    /** A line or record that cannot be read at all (wrong column count, not a number where one is needed). */
    MALFORMED_RECORD(false),
    /** A record whose structure is not the documented one (a moment that is not an array of six, a row of 4). */
    UNEXPECTED_SHAPE(false),
    /** A NaN or infinite coordinate: the agent row is skipped. */
    NON_FINITE_COORDINATE(false),
    /** The file ends in the middle of a record or a JSON document. */
    TRUNCATED_FILE(false),
    /** Frames whose time or frame number goes backwards. */
    OUT_OF_ORDER(false),
    /** A SportVU moment seen before in an overlapping event, dropped. */
    DUPLICATE_MOMENT(true),
    /** A SportVU event with an empty moments list, skipped. */
    EVENT_WITHOUT_MOMENTS(true),
    /** An agent with empty cells in a frame: absent from that frame (real missing data). */
    AGENT_MISSING(true),
    /** A frame left without any agent after skipping bad rows: not emitted. */
    EMPTY_FRAME(true);

    private final boolean note;

    ProblemKind(boolean note) {
        this.note = note;
    }

    /** True for expected features of real data that are counted but not printed. */
    public boolean isNote() {
        return note;
    }
}
