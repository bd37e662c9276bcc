package dev.nristream.replay;

import dev.nristream.avro.PositionFrame;

/** Where a replay sends its frames: a Kafka topic, JSON lines on stdout, a list in a test. */
public interface FrameSink extends AutoCloseable {

    /** Sends one frame; may be asynchronous. */
    void accept(PositionFrame frame);

    /**
     * Called once, with the feed's first frame, before that frame is stamped on the replay's clock and paced: the
     * moment to connect, fetch the topic's metadata and register the schema. Otherwise the first send stalls for
     * seconds while the frames behind it are already stamped, and they reach a job behind every other feed's frames
     * (dead-lettered as late in docker-compose).
     */
    default void prepare(PositionFrame first) {
    }

    /** Waits until every accepted frame is delivered (or failed). */
    void flush();

    /**
     * Throws when an earlier asynchronous send failed, so a replay stops at the first broken delivery instead of
     * filling the log with the same error.
     */
    default void checkHealthy() {
    }

    /** Called about once a second during a replay: a chance to flush buffered output. */
    default void tick() {
    }

    /**
     * Called after each accepted frame with the replay's position: how many frames of the feed, counted from its
     * first frame over every pass, have been handed to the sink so far (frames skipped on resume included). A
     * resumable sink commits that position together with the frames; others ignore it.
     */
    default void position(long framesHandled) {
    }

    /** Frames confirmed delivered so far. */
    long delivered();

    /** A short description for the summary ("topic tracking.positions at localhost:9092"). */
    String describe();

    @Override
    void close();
}
