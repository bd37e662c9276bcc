package dev.nristream.registry;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where the schema registry is and how to talk to it. Immutable and {@link Serializable}, so Flink operators can
 * carry it.
 *
 * <pre>{@code
 * RegistryConfig cfg = RegistryConfig.builder()
 *         .setUrl("http://127.0.0.1:8081/apis/ccompat/v7")
 *         .withBasicAuth("user", "secret")          // optional
 *         .withRequestTimeout(Duration.ofSeconds(5)) // optional
 *         .build();
 * }</pre>
 *
 * <p>The same settings read from Kafka client properties ({@link #fromConfigs(Map)}) use Confluent's key names,
 * so an existing Confluent configuration keeps working: {@value #URL_KEY}, {@value #BASIC_AUTH_SOURCE_KEY}
 * ({@code USER_INFO} or {@code URL}), {@value #BASIC_AUTH_USER_INFO_KEY} ({@code user:password}),
 * {@value #BEARER_AUTH_SOURCE_KEY} ({@code STATIC_TOKEN}), {@value #BEARER_AUTH_TOKEN_KEY},
 * {@value #AUTO_REGISTER_KEY}, {@value #CONNECT_TIMEOUT_KEY}, {@value #READ_TIMEOUT_KEY}.
 */
public final class RegistryConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Base URL of the Confluent-compatible REST API (Apicurio: {@code http://host:port/apis/ccompat/v7}). */
    public static final String URL_KEY = "schema.registry.url";
    /** Where basic-auth credentials come from: {@code USER_INFO} (default when user info is set) or {@code URL}. */
    public static final String BASIC_AUTH_SOURCE_KEY = "basic.auth.credentials.source";
    /** Basic-auth credentials as {@code user:password}. */
    public static final String BASIC_AUTH_USER_INFO_KEY = "basic.auth.user.info";
    /** Where a bearer token comes from: {@code STATIC_TOKEN} (the only source supported here). */
    public static final String BEARER_AUTH_SOURCE_KEY = "bearer.auth.credentials.source";
    /** The bearer token sent as {@code Authorization: Bearer ...} (OAuth-protected registries). */
    public static final String BEARER_AUTH_TOKEN_KEY = "bearer.auth.token";
    /** Whether the serializer registers its schema (default true) or only looks up an already registered one. */
    public static final String AUTO_REGISTER_KEY = "auto.register.schemas";
    /** TCP connect timeout in milliseconds (Confluent client key). */
    public static final String CONNECT_TIMEOUT_KEY = "http.connect.timeout.ms";
    /** Timeout of one whole request in milliseconds (Confluent client key). */
    public static final String READ_TIMEOUT_KEY = "http.read.timeout.ms";
    /**
     * How long, in milliseconds, a schema id the registry answered 404 for is remembered as unknown (0: not at
     * all), so a burst of records with a bogus id costs one lookup, not one per record.
     */
    public static final String UNKNOWN_ID_CACHE_KEY = "unknown.schema.id.cache.ms";

    /** Default TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default timeout of one request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Default time an unknown schema id is remembered. */
    public static final Duration DEFAULT_UNKNOWN_ID_CACHE = Duration.ofSeconds(30);

    private final String url;
    private final String user;
    private final String password;
    private final String bearerToken;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final boolean autoRegister;
    private final Duration unknownIdCache;

    private RegistryConfig(Builder b) {
        this.url = b.url;
        this.user = b.user;
        this.password = b.password;
        this.bearerToken = b.bearerToken;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.autoRegister = b.autoRegister;
        this.unknownIdCache = b.unknownIdCache;
    }

    /** Config with defaults for everything but the URL. */
    public static RegistryConfig of(String url) {
        return builder().setUrl(url).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the config from Kafka client properties (the map handed to {@code Serializer.configure}).
     *
     * @throws ConfigException naming the key that is missing or malformed
     */
    public static RegistryConfig fromConfigs(Map<String, ?> configs) {
        Object url = configs.get(URL_KEY);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException("Missing required config '" + URL_KEY
                    + "': the base URL of the schema registry, e.g. http://127.0.0.1:8081 or "
                    + "http://127.0.0.1:8080/apis/ccompat/v7 for Apicurio");
        }
        Builder b = builder();
        String source = string(configs, BASIC_AUTH_SOURCE_KEY, null);
        String userInfo = string(configs, BASIC_AUTH_USER_INFO_KEY, null);
        String urlText = url.toString().trim();
        if (source == null || source.equalsIgnoreCase("USER_INFO")) {
            if (userInfo != null && !userInfo.isBlank()) {
                int colon = userInfo.indexOf(':');
                if (colon < 0) {
                    throw new ConfigException("Config '" + BASIC_AUTH_USER_INFO_KEY
                            + "' must be 'user:password' but has no ':'");
                }
                b.withBasicAuth(userInfo.substring(0, colon), userInfo.substring(colon + 1));
            }
        } else if (source.equalsIgnoreCase("URL")) {
            String ui = URI.create(urlText).getRawUserInfo();
            if (ui == null || !ui.contains(":")) {
                throw new ConfigException("Config '" + BASIC_AUTH_SOURCE_KEY + "=URL' but '" + URL_KEY
                        + "' carries no user:password@ part");
            }
            int colon = ui.indexOf(':');
            b.withBasicAuth(decode(ui.substring(0, colon)), decode(ui.substring(colon + 1)));
        } else {
            throw new ConfigException("Config '" + BASIC_AUTH_SOURCE_KEY + "' is '" + source
                    + "'; supported: USER_INFO, URL");
        }
        String bearerSource = string(configs, BEARER_AUTH_SOURCE_KEY, null);
        String token = string(configs, BEARER_AUTH_TOKEN_KEY, null);
        if (bearerSource != null && !bearerSource.equalsIgnoreCase("STATIC_TOKEN")) {
            throw new ConfigException("Config '" + BEARER_AUTH_SOURCE_KEY + "' is '" + bearerSource
                    + "'; supported: STATIC_TOKEN");
        }
        if (token != null && !token.isBlank()) {
            if (userInfo != null && !userInfo.isBlank()) {
                throw new ConfigException("Configs '" + BASIC_AUTH_USER_INFO_KEY + "' and '" + BEARER_AUTH_TOKEN_KEY
                        + "' are both set; a registry takes one kind of credentials");
            }
            b.withBearerToken(token);
        } else if (bearerSource != null) {
            throw new ConfigException("Config '" + BEARER_AUTH_SOURCE_KEY + "=STATIC_TOKEN' but '"
                    + BEARER_AUTH_TOKEN_KEY + "' is not set");
        }
        b.setUrl(urlText);
        b.withAutoRegister(bool(configs, AUTO_REGISTER_KEY, true));
        b.withConnectTimeout(millis(configs, CONNECT_TIMEOUT_KEY, DEFAULT_CONNECT_TIMEOUT));
        b.withRequestTimeout(millis(configs, READ_TIMEOUT_KEY, DEFAULT_REQUEST_TIMEOUT));
        Object cache = configs.get(UNKNOWN_ID_CACHE_KEY);
        if (cache != null) {
            try {
                long ms = cache instanceof Number n ? n.longValue() : Long.parseLong(cache.toString().trim());
                if (ms < 0) {
                    throw new ConfigException(UNKNOWN_ID_CACHE_KEY, cache, "expected 0 or more milliseconds");
                }
                b.withUnknownIdCache(Duration.ofMillis(ms));
            } catch (NumberFormatException e) {
                throw new ConfigException(UNKNOWN_ID_CACHE_KEY, cache, "expected a number of milliseconds");
            }
        }
        return b.build();
    }

    /** The settings as Kafka client properties, the inverse of {@link #fromConfigs(Map)}. */
    public Map<String, Object> toConfigs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(URL_KEY, url);
        if (user != null) {
            m.put(BASIC_AUTH_SOURCE_KEY, "USER_INFO");
            m.put(BASIC_AUTH_USER_INFO_KEY, user + ":" + password);
        }
        if (bearerToken != null) {
            m.put(BEARER_AUTH_SOURCE_KEY, "STATIC_TOKEN");
            m.put(BEARER_AUTH_TOKEN_KEY, bearerToken);
        }
        m.put(AUTO_REGISTER_KEY, Boolean.toString(autoRegister));
        m.put(CONNECT_TIMEOUT_KEY, Long.toString(connectTimeout.toMillis()));
        m.put(READ_TIMEOUT_KEY, Long.toString(requestTimeout.toMillis()));
        m.put(UNKNOWN_ID_CACHE_KEY, Long.toString(unknownIdCache.toMillis()));
        return m;
    }

    /** Base URL without a trailing slash and without user info. */
    public String url() {
        return url;
    }

    public Optional<String> basicAuthUser() {
        return Optional.ofNullable(user);
    }

    Optional<String> basicAuthPassword() {
        return Optional.ofNullable(password);
    }

    /** Whether a bearer token is configured (the token itself is never exposed outside this package). */
    public boolean hasBearerToken() {
        return bearerToken != null;
    }

    Optional<String> bearerToken() {
        return Optional.ofNullable(bearerToken);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public boolean autoRegister() {
        return autoRegister;
    }

    /** How long an id the registry does not know is remembered as unknown; zero: not remembered. */
    public Duration unknownIdCache() {
        return unknownIdCache;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RegistryConfig c)) {
            return false;
        }
        return url.equals(c.url) && Objects.equals(user, c.user) && Objects.equals(password, c.password)
                && Objects.equals(bearerToken, c.bearerToken)
                && connectTimeout.equals(c.connectTimeout) && requestTimeout.equals(c.requestTimeout)
                && autoRegister == c.autoRegister && unknownIdCache.equals(c.unknownIdCache);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, user, connectTimeout, requestTimeout, autoRegister, unknownIdCache);
    }

    /** Never prints the password or the token. */
    @Override
    public String toString() {
        return "RegistryConfig{url=" + url + (user == null ? "" : ", user=" + user)
                + (bearerToken == null ? "" : ", bearerToken=[hidden]")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", autoRegister=" + autoRegister + ", unknownIdCache=" + unknownIdCache + "}";
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String string(Map<String, ?> configs, String key, String dflt) {
        Object v = configs.get(key);
        return v == null ? dflt : v.toString().trim();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean dflt) {
        Object v = configs.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean bv) {
            return bv;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key, v, "expected true or false");
    }

    private static Duration millis(Map<String, ?> configs, String key, Duration dflt) {
        Object v = configs.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long ms = v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
            if (ms <= 0) {
                throw new ConfigException(key, v, "expected a positive number of milliseconds");
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "expected a number of milliseconds");
        }
    }

    /** Builder: {@link #setUrl} is required, everything else has a default. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private String bearerToken;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private boolean autoRegister = true;
        private Duration unknownIdCache = DEFAULT_UNKNOWN_ID_CACHE;

        private Builder() {
        }

        /** Base URL of the Confluent-compatible API; a trailing slash and any user info are stripped. */
        public Builder setUrl(String url) {
            this.url = url;
            return this;
        }

        public Builder withBasicAuth(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Sends {@code Authorization: Bearer <token>} (an OAuth-protected registry, e.g. Apicurio with OIDC). */
        public Builder withBearerToken(String token) {
            this.bearerToken = Objects.requireNonNull(token, "token");
            return this;
        }

        public Builder withConnectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder withRequestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** False: the serializer only looks schemas up and fails if they are not registered yet. */
        public Builder withAutoRegister(boolean autoRegister) {
            this.autoRegister = autoRegister;
            return this;
        }

        /** How long an unknown schema id is remembered (default 30 s); {@link Duration#ZERO} turns it off. */
        public Builder withUnknownIdCache(Duration ttl) {
            Objects.requireNonNull(ttl, "unknownIdCache");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("unknownIdCache must not be negative, got " + ttl);
            }
            this.unknownIdCache = ttl;
            return this;
        }

        /** @throws IllegalArgumentException when the URL is missing or not an absolute http(s) URL */
        public RegistryConfig build() {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("RegistryConfig: url is required (setUrl), e.g. "
                        + "http://127.0.0.1:8081");
            }
            String u = url.trim();
            if (u.contains(",")) {
                throw new IllegalArgumentException("RegistryConfig: only one registry URL is supported, got '"
                        + u + "'");
            }
            URI uri;
            try {
                uri = URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("RegistryConfig: url '" + u + "' is not a valid URL: "
                        + e.getMessage(), e);
            }
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("RegistryConfig: url '" + u
                        + "' must be an absolute http:// or https:// URL");
            }
            if (uri.getRawUserInfo() != null) {
                // Credentials never travel in the URL we print in errors.
                u = u.replace(uri.getRawUserInfo() + "@", "");
            }
            while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
            }
            this.url = u;
            return new RegistryConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
