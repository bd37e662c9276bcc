package dev.nristream.analytics;

import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.topic.Topics;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams analytics of nri-stream: live forecast error and edge-type statistics per scene.
 *
 * <ul>
 *   <li>{@code tracking.positions} + {@code nri.forecasts} -> {@code nri.forecast-errors}: per forecast step, the
 *       mean Euclidean distance between predicted and actual positions ({@link ForecastErrorProcessor}), and a
 *       rolling per-scene summary by step in the store {@value #FORECAST_ERROR_STORE}.</li>
 *   <li>{@code tracking.positions} + {@code nri.forecasts} -> the latest positions, a short path and the latest
 *       forecast per scene for the web view ({@link SceneViewProcessor}, store {@value #SCENE_VIEW_STORE}).</li>
 *   <li>{@code nri.graphs} -> {@code nri.edge-stats}: rolling counts of each edge type per scene and agent pair
 *       ({@link EdgeStatsProcessor}); the latest graph per scene in {@value #LATEST_GRAPH_STORE} and the latest
 *       statistics in {@value #EDGE_STATS_STORE}.</li>
 * </ul>
 *
 * <pre>{@code
 * Topology topology = AnalyticsApp.build(AnalyticsConfig.defaults(), AnalyticsSerdes.registry(registry));
 * KafkaStreams streams = new KafkaStreams(topology, AnalyticsApp.streamsProperties("nri-analytics", bootstrap));
 * }</pre>
 *
 * {@link AnalyticsService} runs it with the HTTP endpoints; {@code ./nri analytics} is the command.
 */
public final class AnalyticsApp {

    /** Default Kafka Streams application id (consumer group, prefix of internal topics). */
    public static final String DEFAULT_APPLICATION_ID = "nri-analytics";

    /** Queryable: scene id -> {@link ForecastErrorSummary}. */
    public static final String FORECAST_ERROR_STORE = "forecast-error-summary";
    /** Queryable: scene id -> latest {@link InteractionGraph} (by window end). */
    public static final String LATEST_GRAPH_STORE = "latest-graph";
    /** Queryable: scene id -> latest {@link EdgeStats}. */
    public static final String EDGE_STATS_STORE = "edge-stats";
    /** Queryable, in memory: scene id -> {@link SceneView} (what the web view draws). */
    public static final String SCENE_VIEW_STORE = "scene-view";

    static final String FRAMES_STORE = "forecast-frames";
    static final String PENDING_STORE = "forecast-pending";
    static final String SCENE_CLOCK_STORE = "forecast-scene-clock";
    static final String ERROR_WINDOW_STORE = "forecast-error-window";
    static final String EDGE_WINDOW_STORE = "edge-stats-window";
    static final String EDGE_ACTIVITY_STORE = "edge-stats-activity";

    private AnalyticsApp() {
    }

    /** The topology; {@code serdes} gives the value serdes of the topics and of the stores holding their types. */
    public static Topology build(AnalyticsConfig cfg, AnalyticsSerdes serdes) {
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(serdes, "serdes");
        Serde<String> key = Serdes.String();
        Topology t = new Topology();

        t.addSource("positions", key.deserializer(), serdes.valueSerde(Topics.POSITIONS).deserializer(),
                Topics.POSITIONS.name());
        t.addSource("forecasts", key.deserializer(), serdes.valueSerde(Topics.FORECASTS).deserializer(),
                Topics.FORECASTS.name());
        t.addProcessor("forecast-error", () -> new ForecastErrorProcessor(cfg), "positions", "forecasts");
        t.addStateStore(bytesStore(FRAMES_STORE, JsonSerde.of(FrameSnapshot.class)), "forecast-error");
        t.addStateStore(bytesStore(PENDING_STORE, JsonSerde.of(PendingForecast.class)), "forecast-error");
        t.addStateStore(bytesStore(ERROR_WINDOW_STORE, JsonSerde.of(ErrorEntry.class)), "forecast-error");
        t.addStateStore(stringStore(SCENE_CLOCK_STORE, JsonSerde.of(SceneClock.class)), "forecast-error");
        t.addStateStore(stringStore(FORECAST_ERROR_STORE, JsonSerde.of(ForecastErrorSummary.class)),
                "forecast-error");
        t.addSink("forecast-errors-out", Topics.FORECAST_ERRORS.name(), key.serializer(),
                serdes.valueSerde(Topics.FORECAST_ERRORS).serializer(), "forecast-error");

        t.addProcessor("scene-view", () -> new SceneViewProcessor(cfg), "positions", "forecasts");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SCENE_VIEW_STORE), Serdes.String(),
                JsonSerde.of(SceneView.class)).withLoggingDisabled(), "scene-view");

        t.addSource("graphs", key.deserializer(), serdes.valueSerde(Topics.GRAPHS).deserializer(),
                Topics.GRAPHS.name());
        t.addProcessor("edge-stats", () -> new EdgeStatsProcessor(cfg), "graphs");
        t.addStateStore(stringStore(LATEST_GRAPH_STORE, serdes.valueSerde(Topics.GRAPHS)), "edge-stats");
        t.addStateStore(stringStore(EDGE_STATS_STORE, serdes.valueSerde(Topics.EDGE_STATS)), "edge-stats");
        t.addStateStore(bytesStore(EDGE_WINDOW_STORE, JsonSerde.of(GraphEdges.class)), "edge-stats");
        t.addStateStore(stringStore(EDGE_ACTIVITY_STORE, Serdes.Long()), "edge-stats");
        t.addSink("edge-stats-out", Topics.EDGE_STATS.name(), key.serializer(),
                serdes.valueSerde(Topics.EDGE_STATS).serializer(), "edge-stats");
        return t;
    }

    /**
     * Streams settings of the app: exactly-once v2 (transactional writes, {@code read_committed} reads), string
     * keys, and undecodable records logged and skipped ({@link SkipUndecodableHandler}) so one poison pill
     * does not stop the analytics.
     */
    public static Properties streamsProperties(String applicationId, String bootstrapServers) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUndecodableHandler.class.getName());
        return p;
    }

    private static <V> StoreBuilder<?> bytesStore(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), values);
    }

    private static <V> StoreBuilder<?> stringStore(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
