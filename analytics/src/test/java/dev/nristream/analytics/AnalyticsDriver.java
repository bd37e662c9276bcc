package dev.nristream.analytics;

import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.ForecastError;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.topic.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The analytics topology in a {@link TopologyTestDriver}, with typed topics and store access. */
final class AnalyticsDriver implements AutoCloseable {

    static final Instant WALL_START = Instant.parse("2026-01-01T00:00:00Z");

    final TopologyTestDriver driver;
    final TestInputTopic<String, PositionFrame> positions;
    final TestInputTopic<String, byte[]> rawPositions;
    final TestInputTopic<String, TrajectoryForecast> forecasts;
    final TestInputTopic<String, InteractionGraph> graphs;
    final TestOutputTopic<String, ForecastError> errors;
    final TestOutputTopic<String, EdgeStats> edgeStats;

    AnalyticsDriver(AnalyticsConfig cfg, Path stateDir) {
        AvroTestSerdes serdes = new AvroTestSerdes();
        Properties props = AnalyticsApp.streamsProperties("analytics-test", "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AnalyticsApp.build(cfg, serdes), props, WALL_START);
        StringSerializer key = new StringSerializer();
        positions = driver.createInputTopic(Topics.POSITIONS.name(), key,
                serdes.valueSerde(Topics.POSITIONS).serializer());
        rawPositions = driver.createInputTopic(Topics.POSITIONS.name(), key, new ByteArraySerializer());
        forecasts = driver.createInputTopic(Topics.FORECASTS.name(), key,
                serdes.valueSerde(Topics.FORECASTS).serializer());
        graphs = driver.createInputTopic(Topics.GRAPHS.name(), key, serdes.valueSerde(Topics.GRAPHS).serializer());
        errors = driver.createOutputTopic(Topics.FORECAST_ERRORS.name(), new StringDeserializer(),
                serdes.valueSerde(Topics.FORECAST_ERRORS).deserializer());
        edgeStats = driver.createOutputTopic(Topics.EDGE_STATS.name(), new StringDeserializer(),
                serdes.valueSerde(Topics.EDGE_STATS).deserializer());
    }

    void frame(PositionFrame f) {
        positions.pipeInput(f.getSceneId(), f, f.getEventTimeMs());
    }

    void forecast(TrajectoryForecast f) {
        forecasts.pipeInput(f.getSceneId(), f, f.getOriginTimeMs());
    }

    void graph(InteractionGraph g) {
        graphs.pipeInput(g.getSceneId(), g, g.getWindowEndMs());
    }

    List<ForecastError> errors() {
        List<ForecastError> out = new ArrayList<>();
        errors.readValuesToList().forEach(out::add);
        return out;
    }

    ForecastErrorSummary summary(String scene) {
        KeyValueStore<String, ForecastErrorSummary> s = driver.getKeyValueStore(AnalyticsApp.FORECAST_ERROR_STORE);
        return s.get(scene);
    }

    EdgeStats storedEdgeStats(String scene) {
        KeyValueStore<String, EdgeStats> s = driver.getKeyValueStore(AnalyticsApp.EDGE_STATS_STORE);
        return s.get(scene);
    }

    InteractionGraph latestGraph(String scene) {
        KeyValueStore<String, InteractionGraph> s = driver.getKeyValueStore(AnalyticsApp.LATEST_GRAPH_STORE);
        return s.get(scene);
    }

    /** Entries of {@code scene} in a store keyed by {@link SceneKeys}. */
    int sceneEntries(String store, String scene) {
        KeyValueStore<Bytes, Object> s = driver.getKeyValueStore(store);
        int n = 0;
        try (KeyValueIterator<Bytes, Object> it = s.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, Object> kv = it.next();
                if (startsWith(kv.key.get(), SceneKeys.prefix(scene).get())) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        driver.close();
    }
}
