package dev.nristream.analytics;

import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.InteractionGraph;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to the analytics' queryable stores, for the HTTP endpoints. {@link #of(KafkaStreams)} queries a
 * running app's local stores; tests pass the stores of a {@code TopologyTestDriver}.
 */
public final class SceneStateView {

    /** Whether the app can answer: {@code healthy} and the Kafka Streams state name. */
    public record Health(boolean healthy, String state) {
    }

    private final Function<String, ReadOnlyKeyValueStore<String, ?>> stores;
    private final Supplier<Health> health;

    public SceneStateView(Function<String, ReadOnlyKeyValueStore<String, ?>> stores, Supplier<Health> health) {
        this.stores = stores;
        this.health = health;
    }

    /** View of the local stores of {@code streams}; healthy while it is running or rebalancing. */
    public static SceneStateView of(KafkaStreams streams) {
        return new SceneStateView(
                name -> streams.store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.<String, Object>keyValueStore())),
                () -> {
                    KafkaStreams.State s = streams.state();
                    return new Health(s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING,
                            s.name());
                });
    }

    public Health health() {
        return health.get();
    }

    /** Scene ids with a graph, edge statistics or a forecast-error summary, sorted. */
    public SortedSet<String> scenes() {
        SortedSet<String> ids = new TreeSet<>();
        for (String store : new String[] {AnalyticsApp.LATEST_GRAPH_STORE, AnalyticsApp.EDGE_STATS_STORE,
                AnalyticsApp.FORECAST_ERROR_STORE}) {
            try (KeyValueIterator<String, ?> it = stores.apply(store).all()) {
                it.forEachRemaining(kv -> ids.add(kv.key));
            }
        }
        return ids;
    }

    public Optional<InteractionGraph> latestGraph(String scene) {
        return get(AnalyticsApp.LATEST_GRAPH_STORE, scene, InteractionGraph.class);
    }

    public Optional<EdgeStats> edgeStats(String scene) {
        return get(AnalyticsApp.EDGE_STATS_STORE, scene, EdgeStats.class);
    }

    public Optional<ForecastErrorSummary> forecastError(String scene) {
        return get(AnalyticsApp.FORECAST_ERROR_STORE, scene, ForecastErrorSummary.class);
    }

    /** What the web view draws of the scene besides its graph; empty when no frame or forecast was seen lately. */
    public Optional<SceneView> sceneView(String scene) {
        return get(AnalyticsApp.SCENE_VIEW_STORE, scene, SceneView.class);
    }

    private <T> Optional<T> get(String store, String scene, Class<T> type) {
        return Optional.ofNullable(stores.apply(store).get(scene)).map(type::cast);
    }
}
