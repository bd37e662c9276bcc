package dev.nristream.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The registry behind an HTTP front that only lets one basic-auth user or one bearer token through (how a registry
 * is usually secured: a gateway or OAuth in front of it); anything else gets HTTP 401.
 *
 * <pre>{@code
 * try (AuthenticatingRegistryFront front = AuthenticatingRegistryFront.start(RealServices.registryUrl(),
 *         "bob", "bob-pw", "token-value")) {
 *     RegistryConfig cfg = clientConfigFile.registry(front.url());
 * }
 * }</pre>
 */
public final class AuthenticatingRegistryFront implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final String path;

    private AuthenticatingRegistryFront(HttpServer server, ExecutorService executor, String path) {
        this.server = server;
        this.executor = executor;
        this.path = path;
    }

    /** Starts the front on a free loopback port, forwarding to {@code registryUrl}. */
    public static AuthenticatingRegistryFront start(String registryUrl, String user, String password, String token) {
        URI registry = URI.create(registryUrl);
        Set<String> accepted = Set.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)), "Bearer " + token);
        HttpClient http = HttpClient.newHttpClient();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !accepted.contains(auth)) {
                    byte[] body = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(401, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                byte[] in;
                try (InputStream is = exchange.getRequestBody()) {
                    in = is.readAllBytes();
                }
                URI target = URI.create("http://" + registry.getHost() + ":" + registry.getPort()
                        + exchange.getRequestURI());
                HttpRequest.Builder rb = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                        .method(exchange.getRequestMethod(), in.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(in));
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    rb.header("Content-Type", type);
                }
                HttpResponse<byte[]> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                r.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
                exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return new AuthenticatingRegistryFront(server, executor, registry.getPath());
    }

    /** The front's URL, with the registry's path (e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
