package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.forecast;
import static dev.nristream.analytics.Samples.frame;
import static dev.nristream.analytics.Samples.graph;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints over the stores of a {@code TopologyTestDriver}. */
class AnalyticsHttpServerTest {

    private static final List<String> AB = List.of("a", "b");

    @TempDir
    Path stateDir;

    private final HttpClient client = HttpClient.newHttpClient();

    static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return JsonSerde.MAPPER.readTree(r.body());
    }

    @Test
    void servesScenesGraphsStatisticsAndForecastErrorsAsJson() throws Exception {
        AnalyticsConfig cfg = AnalyticsConfig.builder().withGrace(Duration.ZERO).build();
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (AnalyticsDriver d = new AnalyticsDriver(cfg, stateDir);
                AnalyticsHttpServer http = AnalyticsHttpServer.start(
                        new SceneStateView(d.driver::getKeyValueStore,
                                () -> new SceneStateView.Health(healthy.get(), healthy.get() ? "RUNNING" : "ERROR")),
                        new InetSocketAddress("127.0.0.1", 0))) {
            int port = http.port();
            d.graph(graph("game 1/q1", "m1", 1000, AB, List.of("no edge", "spring"), 1, 0));
            d.forecast(forecast("sim-7", "m1", 0, 100.0, List.of("a"), new double[] {3, 4}));
            d.frame(frame("sim-7", 100, 1, List.of("a"), 0, 0));
            d.frame(frame("sim-7", 200, 2, List.of("a"), 0, 0));

            HttpResponse<String> health = get(client, port, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(json(health).get("status").asText()).isEqualTo("UP");

            HttpResponse<String> scenes = get(client, port, "/scenes");
            assertThat(scenes.statusCode()).isEqualTo(200);
            assertThat(scenes.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/json"));
            assertThat(json(scenes).get("scenes")).extracting(JsonNode::asText)
                    .containsExactly("game 1/q1", "sim-7");

            JsonNode g = json(get(client, port, "/scenes/game%201%2Fq1/graph"));
            assertThat(g.get("scene_id").asText()).isEqualTo("game 1/q1");
            assertThat(g.get("edges")).hasSize(2);
            assertThat(g.get("edges").get(0).get("edge_type").asInt()).isEqualTo(1);
            assertThat(g.get("edges").get(0).get("probabilities").get(1).asDouble()).isEqualTo(1.0);

            JsonNode es = json(get(client, port, "/scenes/game%201%2Fq1/edge-stats"));
            assertThat(es.get("graphs").asInt()).isEqualTo(1);
            assertThat(es.get("totals")).extracting(JsonNode::asLong).containsExactly(1L, 1L);

            JsonNode fe = json(get(client, port, "/scenes/sim-7/forecast-error"));
            assertThat(fe.get("mean_error_by_step").get(0).asDouble()).isEqualTo(5.0);
            assertThat(fe.get("mean_error").asDouble()).isEqualTo(5.0);
            assertThat(fe.get("errors_published").asLong()).isEqualTo(1);
            assertThat(fe.get("unit").asText()).isEqualTo("ft");

            HttpResponse<String> missing = get(client, port, "/scenes/nope/graph");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(json(missing).get("error").asText()).contains("nope");
            assertThat(get(client, port, "/scenes/sim-7/graph").statusCode()).isEqualTo(404);
            assertThat(get(client, port, "/whatever").statusCode()).isEqualTo(404);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/scenes"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);

            healthy.set(false);
            HttpResponse<String> down = get(client, port, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(json(down).get("state").asText()).isEqualTo("ERROR");
        }
    }
}
