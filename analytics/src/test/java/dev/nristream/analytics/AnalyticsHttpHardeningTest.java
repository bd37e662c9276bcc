package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.graph;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the HTTP server refuses and how: raw requests over a socket (an HTTP client library would normalise or
 * refuse some of them before they reach the server).
 */
class AnalyticsHttpHardeningTest {

    private static final String HOSTILE = "<script>alert('x')</script>";

    @TempDir
    Path stateDir;

    private AnalyticsDriver driver;
    private AnalyticsHttpServer http;

    /** Status line, headers (lower-case names) and body of a raw answer. */
    record Answer(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JsonSerde.MAPPER.readTree(body);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    @BeforeEach
    void start() throws IOException {
        driver = new AnalyticsDriver(AnalyticsConfig.defaults(), stateDir);
        driver.graph(graph(HOSTILE, "m1", 1000, List.of("a", "b"), List.of("none", "spring"), 1, 0));
        driver.graph(graph("game 1/q1", "m1", 1000, List.of("a", "b"), List.of("none", "spring"), 1, 0));
        http = AnalyticsHttpServer.start(new SceneStateView(driver.driver::getKeyValueStore,
                () -> new SceneStateView.Health(true, "RUNNING")), new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        http.close();
        driver.close();
    }

    private Answer send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            String all = buf.toString(StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = split < 0 ? all : all.substring(0, split);
            String body = split < 0 ? "" : all.substring(split + 4);
            return new Answer(Integer.parseInt(head.split(" ")[1]), head, body);
        }
    }

    private Answer request(String method, String target, String... headers) throws IOException {
        StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        return send(r.append("\r\n").toString());
    }

    @Test
    void refusesEveryMethodButGetAndHeadWith405() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")) {
            Answer a = request(method, "/scenes", "Content-Length: 0");
            assertThat(a.status()).as(method).isEqualTo(405);
            assertThat(a.header("Allow")).isEqualTo("GET, HEAD");
            assertThat(a.json().get("error").asText()).contains(method).contains("read-only");
        }
        Answer head = request("HEAD", "/scenes");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(request("GET", "/scenes").json().get("scenes")).hasSize(2);
    }

    @Test
    void unknownSceneIs404WithAClearJsonMessage() throws Exception {
        for (String resource : List.of("graph", "live", "edge-stats", "forecast-error")) {
            Answer a = request("GET", "/scenes/no-such-scene/" + resource);
            assertThat(a.status()).as(resource).isEqualTo(404);
            assertThat(a.header("Content-Type")).startsWith("application/json");
            assertThat(a.json().get("error").asText()).contains("unknown scene 'no-such-scene'").contains("/scenes");
            assertThat(a.json().get("scene").asText()).isEqualTo("no-such-scene");
        }
        assertThat(request("GET", "/scenes/game%201%2Fq1/graph").status()).isEqualTo(200);
        assertThat(request("GET", "/no/such/endpoint").status()).isEqualTo(404);
    }

    @Test
    void malformedPathsAre400NamingTheProblem() throws Exception {
        // Not a URI at all: the JDK's server answers 400 before any handler runs.
        assertThat(request("GET", "/scenes/%zz/graph").status()).isEqualTo(400);
        assertThat(request("GET", "/scenes/%E2%28/graph").json().get("error").asText()).contains("UTF-8");
        assertThat(request("GET", "/scenes//graph").json().get("error").asText()).contains("empty scene id");
        assertThat(request("GET", "/scenes/a/b/graph").json().get("error").asText())
                .contains("/scenes/{id}/{resource}");
        assertThat(request("GET", "/scenes/a%00b/graph").json().get("error").asText()).contains("control character");
        assertThat(request("GET", "/scenes/" + "x".repeat(ScenePath.MAX_ID_CHARS + 1) + "/graph")
                .json().get("error").asText()).contains("longer than " + ScenePath.MAX_ID_CHARS);
        for (String target : List.of("/scenes/%E2%28/graph", "/scenes//graph", "/scenes/a/b/graph", "/scenes/a%00b/live")) {
            Answer a = request("GET", target);
            assertThat(a.status()).as(target).isEqualTo(400);
            assertThat(a.json().get("error").asText()).as(target).startsWith("malformed path");
        }
    }

    @Test
    void limitsRequestSizes() throws Exception {
        Answer longUri = request("GET", "/scenes?q=" + "a".repeat(HttpGuard.MAX_URI_CHARS));
        assertThat(longUri.status()).isEqualTo(414);
        assertThat(longUri.json().get("error").asText()).contains("longer than " + HttpGuard.MAX_URI_CHARS);
        Answer bigHeaders = request("GET", "/scenes", "X-Pad: " + "b".repeat(HttpGuard.MAX_HEADER_CHARS));
        assertThat(bigHeaders.status()).isEqualTo(431);
        Answer body = send("GET /scenes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 5\r\n\r\n"
                + "hello");
        assertThat(body.status()).isEqualTo(400);
        assertThat(body.json().get("error").asText()).contains("no body");
        assertThat(request("GET", "/scenes?q=" + "a".repeat(100)).status()).isEqualTo(200);
    }

    @Test
    void idsFromTheFeedNeverReachTheAnswerAsMarkup() throws Exception {
        Answer scenes = request("GET", "/scenes");
        assertThat(scenes.body()).doesNotContain("<").doesNotContain(">").contains("\\u003Cscript\\u003E");
        assertThat(scenes.json().get("scenes")).extracting(JsonNode::asText).contains(HOSTILE);
        Answer graph = request("GET", "/scenes/%3Cscript%3Ealert('x')%3C%2Fscript%3E/live");
        assertThat(graph.status()).isEqualTo(200);
        assertThat(graph.json().get("scene_id").asText()).isEqualTo(HOSTILE);
        assertThat(graph.body()).doesNotContain("<script").doesNotContain("'x'");
        Answer missing = request("GET", "/scenes/%3Cimg%20src%3Dx%3E/graph");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).doesNotContain("<img");
        assertThat(missing.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void servesThePageUnderAPolicyWithoutInlineScript() throws Exception {
        Answer page = request("GET", "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
        assertThat(page.body()).contains("<script src=\"app.js\"");
        Answer js = request("GET", "/app.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        assertThat(js.body()).doesNotContain("innerHTML");
        assertThat(request("GET", "/app.css").header("Content-Type")).startsWith("text/css");
    }
}
