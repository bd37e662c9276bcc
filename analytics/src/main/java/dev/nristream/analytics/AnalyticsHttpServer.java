package dev.nristream.analytics;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nristream.registry.AvroJson;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.graph.StrongestEdges;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web view and JSON over HTTP of the analytics' queryable stores (this instance's local state):
 *
 * <ul>
 *   <li>{@code GET /}: the live web view (scenes, agents, inferred edges, forecasts, forecast error), which polls
 *       {@code /scenes} and {@code /scenes/{id}/live} once a second;</li>
 *   <li>{@code GET /health}: 200 {@code {"status":"UP","state":"RUNNING"}} while Kafka Streams runs or
 *       rebalances, else 503 (the container health check);</li>
 *   <li>{@code GET /scenes}: {@code {"scenes":[ids]}};</li>
 *   <li>{@code GET /scenes/{id}/graph}: the latest {@code InteractionGraph} of the scene;</li>
 *   <li>{@code GET /scenes/{id}/edge-stats}: the latest {@code EdgeStats};</li>
 *   <li>{@code GET /scenes/{id}/forecast-error}: the rolling {@link ForecastErrorSummary};</li>
 *   <li>{@code GET /scenes/{id}/live}: what the web view draws, in one answer: {@code graph},
 *       {@code no_edge_type} (the graph's, -1 for none), {@code view} ({@link SceneView}: latest positions, path,
 *       ground truth, latest forecast) and {@code forecast_error}, each null when absent.</li>
 * </ul>
 *
 * The id is percent-encoded. Unknown scene: 404 with {@code {"error": ...}}; malformed path (bad encoding, empty or
 * over-long id): 400; a method other than GET or HEAD: 405; request target over
 * {@value HttpGuard#MAX_URI_CHARS} characters: 414; headers over {@value HttpGuard#MAX_HEADER_CHARS}: 431; a
 * request body: 400; stores not ready (starting, rebalancing): 503. JSON answers escape {@code < > & '} so an id
 * from a feed can never become markup; the page builds its DOM with text nodes only and runs under a
 * Content-Security-Policy that allows no inline script. Binds loopback unless given another address.
 *
 * <pre>{@code
 * try (AnalyticsHttpServer http = AnalyticsHttpServer.start(SceneStateView.of(streams),
 *         new InetSocketAddress("127.0.0.1", 8090))) {
 *     ...
 * }
 * }</pre>
 */
public final class AnalyticsHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsHttpServer.class);

    /** No inline script or style, nothing from other origins: the page needs only its own files and JSON. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final ObjectWriter JSON = JsonSerde.MAPPER.writer().with(new HtmlSafeEscapes());

    private final HttpServer server;
    private final ExecutorService executor;
    private final SceneStateView view;
    private final WebAssets assets;

    private AnalyticsHttpServer(HttpServer server, ExecutorService executor, SceneStateView view, WebAssets assets) {
        this.server = server;
        this.executor = executor;
        this.view = view;
        this.assets = assets;
    }

    /** Binds {@code address} (port 0: a free port, see {@link #port()}) and starts serving. */
    public static AnalyticsHttpServer start(SceneStateView view, InetSocketAddress address) throws IOException {
        WebAssets assets = WebAssets.load();
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "analytics-http");
            t.setDaemon(true);
            return t;
        });
        AnalyticsHttpServer http = new AnalyticsHttpServer(server, executor, view, assets);
        server.createContext("/", http::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("analytics HTTP on {}:{}", server.getAddress().getHostString(), http.port());
        return http;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address bound. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            Optional<HttpGuard.Rejection> refused = HttpGuard.check(ex);
            if (refused.isPresent()) {
                if (refused.get().status() == 405) {
                    ex.getResponseHeaders().set("Allow", HttpGuard.ALLOWED_METHODS);
                }
                send(ex, refused.get().status(), error(refused.get().message()));
                return;
            }
            route(ex, ex.getRequestURI().getRawPath());
        } catch (ScenePath.MalformedPathException e) {
            send(ex, 400, error("malformed path: " + e.getMessage()));
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
        Optional<WebAssets.Asset> asset = assets.get(path);
        if (asset.isPresent()) {
            sendAsset(ex, asset.get());
            return;
        }
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
        Optional<ScenePath> sp = ScenePath.parse(p);
        if (sp.isPresent()) {
            String scene = sp.get().sceneId();
            String resource = sp.get().resource();
            Optional<JsonNode> body = switch (resource) {
                case "graph" -> view.latestGraph(scene).map(AvroJson::toJson);
                case "edge-stats" -> view.edgeStats(scene).map(AvroJson::toJson);
                case "forecast-error" -> view.forecastError(scene).map(s -> JsonSerde.MAPPER.valueToTree(s));
                case "live" -> live(scene);
                default -> null;
            };
            if (body != null) {
                if (body.isPresent()) {
                    send(ex, 200, body.get());
                } else {
                    ObjectNode e = error("unknown scene '" + scene + "': no " + resource
                            + " for it on this instance (GET /scenes lists the scenes)");
                    e.put("scene", scene);
                    send(ex, 404, e);
                }
                return;
            }
        }
        send(ex, 404, error("no such endpoint: " + path + " (try /, /health, /scenes, /scenes/{id}/graph, "
                + "/scenes/{id}/edge-stats, /scenes/{id}/forecast-error, /scenes/{id}/live)"));
    }

    /** Everything the web view draws of a scene, read from the stores one after the other. */
    private Optional<JsonNode> live(String scene) {
        Optional<InteractionGraph> graph = view.latestGraph(scene);
        Optional<SceneView> sv = view.sceneView(scene);
        Optional<ForecastErrorSummary> fe = view.forecastError(scene);
        if (graph.isEmpty() && sv.isEmpty() && fe.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode o = JsonSerde.MAPPER.createObjectNode().put("scene_id", scene);
        o.set("graph", graph.map(AvroJson::toJson).orElse(null));
        // The graph's own no_edge_type; for graphs written before that field, the type named "none" (StrongestEdges).
        o.put("no_edge_type", graph.map(StrongestEdges::noEdgeIndex).orElse(-1));
        o.set("view", sv.<JsonNode>map(JsonSerde.MAPPER::valueToTree).orElse(null));
        o.set("forecast_error", fe.<JsonNode>map(JsonSerde.MAPPER::valueToTree).orElse(null));
        return Optional.of(o);
    }

    private static ObjectNode error(String message) {
        return JsonSerde.MAPPER.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        sendBytes(ex, status, JSON.writeValueAsBytes(body), "application/json; charset=utf-8");
    }

    private static void sendAsset(HttpExchange ex, WebAssets.Asset asset) throws IOException {
        ex.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        sendBytes(ex, 200, asset.bytes(), asset.contentType());
    }

    private static void sendBytes(HttpExchange ex, int status, byte[] bytes, String contentType) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Escapes the characters that could end a string inside HTML or start markup, as JSON unicode escapes. */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] table = standardAsciiEscapesForJSON();

        HtmlSafeEscapes() {
            table['<'] = ESCAPE_STANDARD;
            table['>'] = ESCAPE_STANDARD;
            table['&'] = ESCAPE_STANDARD;
            table['\''] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
