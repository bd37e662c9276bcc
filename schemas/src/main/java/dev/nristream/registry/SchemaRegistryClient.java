package dev.nristream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nristream.registry.RegistryException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small client for the Confluent Schema Registry REST API; works against Confluent Schema Registry and
 * Apicurio Registry's {@code /apis/ccompat/v7}. Thread-safe. Answers are cached both ways: schema to id per
 * subject, and id to schema, so a steady stream costs no registry round trips.
 *
 * <pre>{@code
 * SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(registryUrl));
 * int id = client.register("tracking.positions-value", PositionFrame.getClassSchema());
 * Schema writer = client.schemaById(id);
 * }</pre>
 */
public class SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, "
            + "application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private final RegistryConfig config;
    private final HttpClient http;
    private final String authHeader;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<Integer, UnknownId> unknownIds = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    /** Ids are attacker-chosen: the negative cache is capped so random ids cannot grow it without bound. */
    static final int MAX_UNKNOWN_IDS = 10_000;

    /** A 404 for a schema id, remembered until {@code expiresNanos}. */
    private record UnknownId(long expiresNanos, RegistryException answer) {
    }

    public SchemaRegistryClient(RegistryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // HTTP/1.1: an h2c upgrade attempt buys nothing for small JSON calls and some proxies mishandle it.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.authHeader = config.bearerToken().map(t -> "Bearer " + t).orElseGet(() -> config.basicAuthUser()
                .map(u -> "Basic " + Base64.getEncoder().encodeToString(
                        (u + ":" + config.basicAuthPassword().orElse("")).getBytes(StandardCharsets.UTF_8)))
                .orElse(null));
    }

    public RegistryConfig config() {
        return config;
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds it already registered there) and returns its id.
     *
     * @throws RegistryException {@link Reason#INCOMPATIBLE_SCHEMA} when the subject's compatibility rule refuses it
     */
    public int register(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        String path = "/subjects/" + encode(subject) + "/versions";
        JsonNode answer = send("POST", path, schemaBody(schema), "register schema " + schema.getFullName()
                + " under subject '" + subject + "'");
        int id = requireInt(answer, "id", path);
        remember(subject, schema, id);
        LOG.debug("Registered {} under subject {} as id {} at {}", schema.getFullName(), subject, id, config.url());
        return id;
    }

    /**
     * Id of {@code schema} as already registered under {@code subject}, without registering it.
     *
     * @throws RegistryException {@link Reason#NOT_REGISTERED} when the subject or the schema is not there
     */
    public int idOf(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        String path = "/subjects/" + encode(subject);
        JsonNode answer = send("POST", path, schemaBody(schema), "look up schema " + schema.getFullName()
                + " under subject '" + subject + "'");
        int id = requireInt(answer, "id", path);
        remember(subject, schema, id);
        return id;
    }

    /**
     * The schema with this id.
     *
     * @throws RegistryException {@link Reason#UNKNOWN_SCHEMA_ID} naming the id and the registry URL
     */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        UnknownId miss = unknownIds.get(id);
        if (miss != null) {
            if (System.nanoTime() - miss.expiresNanos() < 0) {
                RegistryException a = miss.answer();
                throw new RegistryException(Reason.UNKNOWN_SCHEMA_ID, a.registryUrl(), 404, a.getMessage(), null);
            }
            unknownIds.remove(id, miss);
        }
        String path = "/schemas/ids/" + id;
        JsonNode answer;
        try {
            answer = send("GET", path, null, "fetch schema id " + id);
        } catch (RegistryException e) {
            if (e.httpStatus() == 404) {
                RegistryException unknown = new RegistryException(Reason.UNKNOWN_SCHEMA_ID, config.url(), 404,
                        "Unknown schema id " + id + ": the schema registry at " + config.url()
                                + " has no schema with this id (" + e.getMessage() + ")", null);
                rememberUnknown(id, unknown);
                throw unknown;
            }
            throw e;
        }
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new RegistryException(Reason.BAD_RESPONSE, config.url(), 200, "Schema id " + id
                    + " at " + config.url() + " is a " + type.asText() + " schema, not Avro", null);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw badAnswer(path, "no 'schema' text in " + abbreviate(answer.toString()));
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw badAnswer(path, "schema id " + id + " does not parse as Avro: " + e.getMessage());
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /** HTTP requests this client has sent so far (cache hits, including remembered unknown ids, send none). */
    public long requestCount() {
        return requests.get();
    }

    private void rememberUnknown(int id, RegistryException answer) {
        long ttl = config.unknownIdCache().toNanos();
        if (ttl <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (unknownIds.size() >= MAX_UNKNOWN_IDS) {
            unknownIds.values().removeIf(u -> now - u.expiresNanos() >= 0);
            if (unknownIds.size() >= MAX_UNKNOWN_IDS) {
                unknownIds.clear();
            }
        }
        unknownIds.put(id, new UnknownId(now + ttl, answer));
    }

    /**
     * Checks that the registry answers {@code GET /subjects} with these credentials.
     *
     * @throws RegistryException unreachable, refused credentials, or not a registry
     */
    public void checkReachable() {
        JsonNode subjects = send("GET", "/subjects", null, "list its subjects");
        if (!subjects.isArray()) {
            throw badAnswer("GET /subjects", "expected a JSON array of subjects");
        }
    }

    /** Id of the latest version registered under {@code subject}. */
    public int latestId(String subject) {
        String path = "/subjects/" + encode(subject) + "/versions/latest";
        return requireInt(send("GET", path, null, "fetch the latest version of subject '" + subject + "'"),
                "id", path);
    }

    private Integer cachedId(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schema);
    }

    private void remember(String subject, Schema schema, int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        schemasById.putIfAbsent(id, schema);
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schemaType", "AVRO");
        body.put("schema", schema.toString());
        return body.toString();
    }

    private JsonNode send(String method, String path, String body, String what) {
        URI uri = URI.create(config.url() + path);
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT);
        if (authHeader != null) {
            rb.header("Authorization", authHeader);
        }
        if (body != null) {
            rb.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        requests.incrementAndGet();
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(what, "no connection within " + config.connectTimeout().toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw unreachable(what, "no answer within " + config.requestTimeout().toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw unreachable(what, "connection refused or failed: " + e, e);
        } catch (IOException e) {
            throw unreachable(what, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(Reason.INTERRUPTED, config.url(), -1,
                    "Interrupted while waiting for the schema registry at " + config.url() + " to " + what, e);
        }
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        if (status / 100 == 2) {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw badAnswer(method + " " + path, "the body is not JSON: " + abbreviate(text));
            }
        }
        String detail = errorDetail(text);
        String prefix = "Schema registry at " + config.url() + " answered HTTP " + status + " to " + method + " "
                + path + " (" + what + "): " + detail;
        Reason reason = switch (status) {
            case 401, 403 -> Reason.UNAUTHORIZED;
            case 404 -> Reason.NOT_REGISTERED;
            case 409 -> Reason.INCOMPATIBLE_SCHEMA;
            default -> Reason.BAD_RESPONSE;
        };
        if (reason == Reason.UNAUTHORIZED) {
            prefix += authHeader == null ? " (no credentials were sent; set " + RegistryConfig.BASIC_AUTH_USER_INFO_KEY
                    + " or " + RegistryConfig.BEARER_AUTH_TOKEN_KEY + ")"
                    : config.hasBearerToken() ? " (the bearer token was refused)"
                    : " (credentials for user '" + config.basicAuthUser().orElse("") + "' were refused)";
        }
        throw new RegistryException(reason, config.url(), status, prefix, null);
    }

    private RegistryException unreachable(String what, String why, Throwable cause) {
        return new RegistryException(Reason.UNREACHABLE, config.url(), -1,
                "Schema registry at " + config.url() + " is unreachable (" + why + ") while trying to " + what,
                cause);
    }

    private RegistryException badAnswer(String path, String why) {
        return new RegistryException(Reason.BAD_RESPONSE, config.url(), 200,
                "Unexpected answer from the schema registry at " + config.url() + " to " + path + ": " + why, null);
    }

    private int requireInt(JsonNode answer, String field, String path) {
        JsonNode v = answer.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw badAnswer(path, "no integer '" + field + "' in " + abbreviate(answer.toString()));
        }
        return v.intValue();
    }

    private static String errorDetail(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.has("message")) {
                return (n.has("error_code") ? "error_code " + n.get("error_code").asText() + ", " : "")
                        + n.get("message").asText();
            }
        } catch (IOException ignored) {
            // Not JSON (a proxy's HTML page, say): show it as it is.
        }
        return body.isBlank() ? "(empty body)" : abbreviate(body);
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
