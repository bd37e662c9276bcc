package dev.nristream.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over HTTP of the analytics' queryable stores (this instance's local state):
 *
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {"status":"UP","state":"RUNNING"}} while Kafka Streams runs or
 *       rebalances, else 503 (the container health check);</li>
 *   <li>{@code GET /scenes}: {@code {"scenes":[ids]}};</li>
 *   <li>{@code GET /scenes/{id}/graph}: the latest {@code InteractionGraph} of the scene;</li>
 *   <li>{@code GET /scenes/{id}/edge-stats}: the latest {@code EdgeStats};</li>
 *   <li>{@code GET /scenes/{id}/forecast-error}: the rolling {@link ForecastErrorSummary}.</li>
 * </ul>
 *
 * Unknown scene: 404 with {@code {"error": ...}}; stores not ready (starting, rebalancing): 503.
 *
 * <pre>{@code
 * try (AnalyticsHttpServer http = AnalyticsHttpServer.start(SceneStateView.of(streams), new InetSocketAddress(8090))) {
 *     ...
 * }
 * }</pre>
 */
public final class AnalyticsHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final SceneStateView view;

    private AnalyticsHttpServer(HttpServer server, ExecutorService executor, SceneStateView view) {
        this.server = server;
        this.executor = executor;
        this.view = view;
    }

    /** Binds {@code address} (port 0: a free port, see {@link #port()}) and starts serving. */
    public static AnalyticsHttpServer start(SceneStateView view, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "analytics-http");
            t.setDaemon(true);
            return t;
        });
        AnalyticsHttpServer http = new AnalyticsHttpServer(server, executor, view);
        server.createContext("/", http::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("analytics HTTP on port {}", http.port());
        return http;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (!"GET".equals(ex.getRequestMethod())) {
                send(ex, 405, error("only GET is supported"));
                return;
            }
            route(ex, ex.getRequestURI().getRawPath());
        } catch (InvalidStateStoreException e) {
            send(ex, 503, error("state stores are not ready: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed", ex.getRequestURI(), e);
            send(ex, 500, error(e.toString()));
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex, String path) throws IOException {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/health")) {
            SceneStateView.Health h = view.health();
            ObjectNode o = JsonSerde.MAPPER.createObjectNode().put("status", h.healthy() ? "UP" : "DOWN")
                    .put("state", h.state());
            send(ex, h.healthy() ? 200 : 503, o);
            return;
        }
        if (p.equals("/scenes")) {
            ObjectNode o = JsonSerde.MAPPER.createObjectNode();
            ArrayNode ids = o.putArray("scenes");
            view.scenes().forEach(ids::add);
            send(ex, 200, o);
            return;
        }
        String[] parts = p.split("/");
        if (parts.length == 4 && parts[1].equals("scenes")) {
            String scene = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
            Optional<JsonNode> body = switch (parts[3]) {
                case "graph" -> view.latestGraph(scene).map(AvroJson::toJson);
                case "edge-stats" -> view.edgeStats(scene).map(AvroJson::toJson);
                case "forecast-error" -> view.forecastError(scene).map(s -> JsonSerde.MAPPER.valueToTree(s));
                default -> null;
            };
            if (body != null) {
                if (body.isPresent()) {
                    send(ex, 200, body.get());
                } else {
                    send(ex, 404, error("no " + parts[3] + " for scene '" + scene + "'"));
                }
                return;
            }
        }
        send(ex, 404, error("no such endpoint: " + path
                + " (try /health, /scenes, /scenes/{id}/graph, /scenes/{id}/edge-stats, /scenes/{id}/forecast-error)"));
    }

    private static JsonNode error(String message) {
        return JsonSerde.MAPPER.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JsonSerde.MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
