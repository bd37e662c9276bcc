package dev.nristream.analytics;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the analytics' HTTP server accepts before routing: read-only methods, bounded request sizes, no body. The
 * endpoints are read-only views of local state, so anything else is refused with the status that names why.
 */
final class HttpGuard {

    /** Longest request target (path and query), characters. */
    static final int MAX_URI_CHARS = 2_048;
    /** Largest sum of header names and values, characters. */
    static final int MAX_HEADER_CHARS = 8_192;
    /** Methods served; everything else is 405. */
    static final String ALLOWED_METHODS = "GET, HEAD";

    /** A refused request: status and the message of its JSON error body. */
    record Rejection(int status, String message) {
    }

    private HttpGuard() {
    }

    static Optional<Rejection> check(HttpExchange ex) {
        String method = ex.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return Optional.of(new Rejection(405, "method " + method + " is not allowed: the analytics are read-only ("
                    + ALLOWED_METHODS + ")"));
        }
        int uriChars = ex.getRequestURI().toString().length();
        if (uriChars > MAX_URI_CHARS) {
            return Optional.of(new Rejection(414, "request target of " + uriChars + " characters is longer than "
                    + MAX_URI_CHARS));
        }
        int headerChars = headerChars(ex.getRequestHeaders());
        if (headerChars > MAX_HEADER_CHARS) {
            return Optional.of(new Rejection(431, "request headers of " + headerChars + " characters are larger than "
                    + MAX_HEADER_CHARS));
        }
        Headers h = ex.getRequestHeaders();
        String length = h.getFirst("Content-Length");
        if (h.containsKey("Transfer-Encoding") || (length != null && !length.trim().equals("0"))) {
            return Optional.of(new Rejection(400, method + " requests carry no body"));
        }
        return Optional.empty();
    }

    private static int headerChars(Headers headers) {
        int n = 0;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            for (String v : e.getValue()) {
                n += e.getKey().length() + v.length() + 4; // ": " and CRLF
            }
        }
        return n;
    }
}
