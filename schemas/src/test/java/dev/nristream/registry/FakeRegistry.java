package dev.nristream.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny HTTP server answering with canned responses, to drive the client's error paths (the real round trip
 * runs against Apicurio in nri-common's tests).
 */
final class FakeRegistry implements AutoCloseable {

    /** One canned answer. */
    record Answer(int status, String body, long delayMillis) {
        static Answer json(int status, String body) {
            return new Answer(status, body, 0);
        }
    }

    /** What the server saw. */
    record Seen(String method, String path, String authorization, String contentType, String body) {
    }

    private final HttpServer server;
    final List<Seen> requests = new CopyOnWriteArrayList<>();

    FakeRegistry(Function<Seen, Answer> handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> handle(exchange, handler));
        server.start();
    }

    private void handle(HttpExchange ex, Function<Seen, Answer> handler) throws IOException {
        Seen seen = new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"),
                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(seen);
        Answer a = handler.apply(seen);
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
