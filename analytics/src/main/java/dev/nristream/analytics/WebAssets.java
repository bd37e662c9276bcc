package dev.nristream.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The web view's files (plain HTML, CSS and JavaScript, no build step), read once from the classpath
 * ({@code dev/nristream/analytics/web/}). Only these fixed paths are served, so a request can never name another
 * resource.
 */
final class WebAssets {

    /** A file to serve: its bytes and content type. */
    record Asset(byte[] bytes, String contentType) {
    }

    private static final String BASE = "/dev/nristream/analytics/web/";

    private final Map<String, Asset> byPath;

    private WebAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    /** Loads the files; fails when one is missing from the jar (a packaging error). */
    static WebAssets load() {
        Asset index = read("index.html", "text/html; charset=utf-8");
        return new WebAssets(Map.of(
                "/", index,
                "/index.html", index,
                "/app.js", read("app.js", "text/javascript; charset=utf-8"),
                "/app.css", read("app.css", "text/css; charset=utf-8")));
    }

    Optional<Asset> get(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static Asset read(String name, String type) {
        try (InputStream in = WebAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("web view file " + BASE + name + " is missing from the classpath");
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web view file " + BASE + name, e);
        }
    }
}
