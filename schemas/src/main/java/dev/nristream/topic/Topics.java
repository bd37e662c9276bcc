package dev.nristream.topic;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.ForecastError;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.ModelControl;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import java.util.List;

/**
 * Every topic of nri-stream, declared once. Keys are scene ids (strings) so that a scene's records share a
 * partition. Code and tests use these constants, never string literals.
 */
public final class Topics {

    /** Frames from the feeds: input of the stream job. */
    public static final TopicSpec<String, PositionFrame> POSITIONS =
            new TopicSpec<>("tracking.positions", String.class, PositionFrame.class);

    /** Frames the job could not use, with the reason. */
    public static final TopicSpec<String, DeadLetter> POSITIONS_DLQ =
            new TopicSpec<>(POSITIONS.dlqName(), String.class, DeadLetter.class);

    /** One inferred interaction graph per evaluated window. */
    public static final TopicSpec<String, InteractionGraph> GRAPHS =
            new TopicSpec<>("nri.graphs", String.class, InteractionGraph.class);

    /** Decoder rollouts from each evaluated window's last frame. */
    public static final TopicSpec<String, TrajectoryForecast> FORECASTS =
            new TopicSpec<>("nri.forecasts", String.class, TrajectoryForecast.class);

    /** Per forecast step, the error against the actual later frame (written by the Kafka Streams analytics). */
    public static final TopicSpec<String, ForecastError> FORECAST_ERRORS =
            new TopicSpec<>("nri.forecast-errors", String.class, ForecastError.class);

    /** Rolling counts of inferred edge types per scene and agent pair (written by the Kafka Streams analytics). */
    public static final TopicSpec<String, EdgeStats> EDGE_STATS =
            new TopicSpec<>("nri.edge-stats", String.class, EdgeStats.class);

    /**
     * Requests to a running stream job to serve another model (hot swap), read by the job when its
     * {@code model.control-topic} names it; a refused request becomes a dead letter on the job's dead-letter topic.
     * Not among {@link #streamTopics()}: only deployments that hot-swap models create it.
     */
    public static final TopicSpec<String, ModelControl> MODEL_CONTROL =
            new TopicSpec<>("nri.model-control", String.class, ModelControl.class);

    private Topics() {
    }

    /** The topics the stream job reads or writes, for creating them up front. */
    public static List<TopicSpec<String, ?>> streamTopics() {
        return List.of(POSITIONS, POSITIONS_DLQ, GRAPHS, FORECASTS);
    }

    /** The topics the analytics app writes, for creating them up front. */
    public static List<TopicSpec<String, ?>> analyticsTopics() {
        return List.of(FORECAST_ERRORS, EDGE_STATS);
    }
}
