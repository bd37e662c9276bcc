package dev.nristream.analytics.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Chromium browser in headless mode, run as a child process: the DOM after the page's scripts ran, and
 * screenshots. {@link #find} looks for the Debian package's binaries on the PATH; {@link #orSkip} is how a test gets
 * one.
 */
public final class HeadlessChromium {

    private static final Logger LOG = LoggerFactory.getLogger(HeadlessChromium.class);

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    private static final long TIMEOUT_S = 120;

    private final Path binary;
    private final Path profile;

    private HeadlessChromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** Set (to 1) where a missing browser must fail the test rather than skip it: {@code .ci/run} sets it. */
    public static final String REQUIRE_ENV = "NRI_REQUIRE_BROWSER";

    /**
     * The browser for a test: skips the test, saying why, where none is installed, unless {@value #REQUIRE_ENV}
     * is 1, where that fails it (CI installs the browser, so a skip there would hide a broken test).
     */
    public static HeadlessChromium orSkip(Path work) {
        Optional<HeadlessChromium> found = find(work);
        if (found.isPresent()) {
            return found.get();
        }
        String why = "no headless browser (" + String.join(", ", NAMES) + ") on the PATH; install it (apt-get "
                + "install chromium) to run the web view's browser tests";
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            throw new AssertionError(why + " (" + REQUIRE_ENV + "=1)");
        }
        return Assumptions.abort(why);
    }

    /** The first browser on the PATH, with a fresh profile under {@code work}. */
    public static Optional<HeadlessChromium> find(Path work) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : NAMES) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(new HeadlessChromium(p, work.resolve("chromium-profile")));
                }
            }
        }
        return Optional.empty();
    }

    public Path binary() {
        return binary;
    }

    /**
     * Loads {@code url} in a {@code width} x {@code height} window, lets its scripts run for {@code budgetMs} of
     * virtual time (timers fire, fetches complete), saves a PNG of the window to {@code png} and returns the
     * serialized DOM of that moment. One browser start for both: starting Chromium is the slow part.
     */
    public String render(String url, int budgetMs, int width, int height, Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        long t0 = System.nanoTime();
        String dom = run(List.of("--dump-dom", "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + ","
                + height, "--hide-scrollbars", "--virtual-time-budget=" + budgetMs, url));
        LOG.info("chromium rendered {} in {} ms", url, (System.nanoTime() - t0) / 1_000_000);
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
        return dom;
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("chromium did not finish within " + TIMEOUT_S + " s: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited with " + p.exitValue() + ": " + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }
}
