package dev.nristream.analytics.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.avro.Edge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.graph.StrongestEdges;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The analytics' web view of one scene as headless Chromium drew it: the DOM after the page's scripts ran, read
 * back as what was drawn (edges by pair and type, the shown window), and its screenshot. What the browser tests
 * of the web view share (analytics' own, and the end-to-end test against the real job in cli).
 *
 * <pre>{@code
 * WebViewPage page = WebViewPage.render(HeadlessChromium.orSkip(work), port, scene, work);
 * assertThat(page.drawnEdges()).isEqualTo(WebViewPage.interactions(latestGraph));
 * page.saveScreenshot();   // target/web-view.png, and -Dnri.webview.screenshot=PATH
 * }</pre>
 */
public final class WebViewPage {

    /** Window size of the screenshot (the one in docs/images). */
    public static final int WIDTH = 1400;
    public static final int HEIGHT = 700;
    /** Virtual time the page's scripts get: its polls (once a second) run a few times. */
    private static final int BUDGET_MS = 4000;
    /** The system property naming where else the screenshot goes (docs/images/web-view.png). */
    public static final String SCREENSHOT_PROPERTY = "nri.webview.screenshot";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH_TAG = Pattern.compile("<path\\b([^>]*)>");
    private static final Pattern ATTR = Pattern.compile("([\\w:-]+)=\"([^\"]*)\"");

    private final String dom;
    private final Path png;

    private WebViewPage(String dom, Path png) {
        this.dom = dom;
        this.png = png;
    }

    /** Loads the web view of {@code scene} ({@code http://127.0.0.1:PORT/#<scene>}) and renders it. */
    public static WebViewPage render(HeadlessChromium chromium, int port, String scene, Path work)
            throws IOException, InterruptedException {
        Path png = work.resolve("web-view.png");
        String url = "http://127.0.0.1:" + port + "/#" + encode(scene);
        return new WebViewPage(chromium.render(url, BUDGET_MS, WIDTH, HEIGHT, png), png);
    }

    /**
     * Polls {@code GET /scenes/<scene>/live} (what the page draws) until {@code ready} accepts the answer; returns
     * it. The page shows what that endpoint serves, so a test waits here before it loads the page.
     *
     * @throws AssertionError naming the last answer when none is ready within {@code wait}
     */
    public static JsonNode awaitLive(int port, String scene, Predicate<JsonNode> ready, Duration wait)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/scenes/" + encode(scene)
                + "/live")).timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + wait.toNanos();
        String last = "(none)";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode live = JSON.readTree(r.body());
                if (ready.test(live)) {
                    return live;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the analytics did not serve what was awaited of " + scene + " within " + wait
                + "; last answer " + last);
    }

    /** A scene id as a path segment or fragment: percent-encoded, spaces as %20. */
    public static String encode(String scene) {
        return URLEncoder.encode(scene, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * What the page must draw for {@code g}: {@code "sender>receiver:type"} of every edge whose type is not the
     * graph's "no edge" type.
     */
    public static Set<String> interactions(InteractionGraph g) {
        int noEdge = StrongestEdges.noEdgeIndex(g);
        Set<String> out = new TreeSet<>();
        for (Edge e : g.getEdges()) {
            if (e.getEdgeType() != noEdge) {
                out.add(e.getSender() + ">" + e.getReceiver() + ":" + e.getEdgeType());
            }
        }
        return out;
    }

    /** The serialized DOM. */
    public String dom() {
        return dom;
    }

    /** The drawn inferred edges as {@code "sender>receiver:type"}. */
    public Set<String> drawnEdges() {
        Set<String> out = new TreeSet<>();
        paths("edge").forEach((pair, a) -> out.add(pair + ":" + a.get("data-type")));
        return out;
    }

    /** Event time of the last frame of the window whose graph is drawn ({@code data-window-end-ms}). */
    public long shownWindowEndMs() {
        return Long.parseLong(attribute("svg", "id", "field", "data-window-end-ms"));
    }

    /** The {@code <path class="cls">} elements by {@code "sender>receiver"}, with their attributes; each pair once. */
    public Map<String, Map<String, String>> paths(String cls) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Matcher m = PATH_TAG.matcher(dom);
        while (m.find()) {
            Map<String, String> attrs = attributes(m.group(1));
            if (cls.equals(attrs.get("class"))) {
                String pair = attrs.get("data-sender") + ">" + attrs.get("data-receiver");
                assertThat(out.put(pair, attrs)).as("drawn once: " + pair).isNull();
            }
        }
        return out;
    }

    /** Attribute {@code wanted} of the first {@code <tag key="value">}; fails when there is none. */
    public String attribute(String tag, String key, String value, String wanted) {
        Matcher m = Pattern.compile("<" + tag + "\\b([^>]*)>").matcher(dom);
        while (m.find()) {
            Map<String, String> attrs = attributes(m.group(1));
            if (value.equals(attrs.get(key))) {
                return attrs.get(wanted);
            }
        }
        throw new AssertionError("no <" + tag + " " + key + "=\"" + value + "\"> in the page");
    }

    /**
     * Checks the screenshot has the window's size and copies it to {@code target/web-view.png} and, when
     * {@value #SCREENSHOT_PROPERTY} is set, to that path.
     */
    public void saveScreenshot() throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("screenshot %s", png).isNotNull();
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        Files.createDirectories(Path.of("target"));
        Files.copy(png, Path.of("target", "web-view.png"), StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty(SCREENSHOT_PROPERTY);
        if (docs != null && !docs.isBlank()) {
            Files.copy(png, Path.of(docs), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Checks the screenshot has the window's size and copies it to {@code target/NAME.png} only. */
    public void saveScreenshot(String name) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("screenshot %s", png).isNotNull();
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        Files.createDirectories(Path.of("target"));
        Files.copy(png, Path.of("target", name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, String> attributes(String s) {
        Map<String, String> attrs = new HashMap<>();
        Matcher a = ATTR.matcher(s);
        while (a.find()) {
            attrs.put(a.group(1), a.group(2));
        }
        return attrs;
    }
}
