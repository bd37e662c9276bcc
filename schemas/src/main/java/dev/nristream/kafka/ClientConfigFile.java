package dev.nristream.kafka;

import dev.nristream.registry.RegistryConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * One properties file with how to reach a secured cluster: the standard Kafka client security settings
 * ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location},
 * ...) for every Kafka client the project makes (feeds, job, analytics, tail, demo), and the schema registry's
 * credentials under Confluent's key names ({@code basic.auth.user.info} or {@code bearer.auth.token}). The same
 * file a Confluent client would take, given with {@code --kafka-config FILE}.
 *
 * <pre>{@code
 * ClientConfigFile sec = ClientConfigFile.load(Path.of("client.properties"));
 * Properties p = new Properties();
 * p.put("bootstrap.servers", bootstrap);
 * sec.applyTo(p);                                   // security.protocol, sasl.*, ssl.*, ...
 * RegistryConfig reg = sec.registry(registryUrl);   // with its basic auth or bearer token
 * }</pre>
 *
 * <p>{@code bootstrap.servers} and {@code schema.registry.url} in the file are ignored: the command line's
 * {@code --bootstrap} and {@code --registry} decide where to connect. {@link #toString()} never prints a secret.
 */
public final class ClientConfigFile implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Keys that belong to the registry client, not to Kafka's. */
    private static final Set<String> REGISTRY_KEYS = Set.of(RegistryConfig.BASIC_AUTH_SOURCE_KEY,
            RegistryConfig.BASIC_AUTH_USER_INFO_KEY, RegistryConfig.BEARER_AUTH_SOURCE_KEY,
            RegistryConfig.BEARER_AUTH_TOKEN_KEY);
    /** Where to connect is the command line's choice. */
    private static final Set<String> IGNORED_KEYS = Set.of("bootstrap.servers", RegistryConfig.URL_KEY);
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final ClientConfigFile NONE = new ClientConfigFile(null, Map.of(), Map.of());

    private final String source;
    private final Map<String, String> kafka;
    private final Map<String, String> registry;

    private ClientConfigFile(String source, Map<String, String> kafka, Map<String, String> registry) {
        this.source = source;
        this.kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
        this.registry = Collections.unmodifiableMap(new TreeMap<>(registry));
    }

    /** No file: plaintext Kafka, a registry without credentials. */
    public static ClientConfigFile none() {
        return NONE;
    }

    /** {@link #load(Path)}, or {@link #none()} when {@code file} is null. */
    public static ClientConfigFile loadOrNone(Path file) {
        return file == null ? NONE : load(file);
    }

    /**
     * Reads and checks the file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it (never a secret's value)
     */
    public static ClientConfigFile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Kafka client config " + file + " does not exist or is not a file");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Kafka client config " + file + " cannot be read as a properties "
                    + "file: " + e.getMessage(), e);
        }
        Map<String, String> kafka = new LinkedHashMap<>();
        Map<String, String> registry = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).trim();
            if (IGNORED_KEYS.contains(key)) {
                continue;
            }
            (REGISTRY_KEYS.contains(key) ? registry : kafka).put(key, value);
        }
        ClientConfigFile c = new ClientConfigFile(file.toString(), kafka, registry);
        c.check();
        return c;
    }

    private void check() {
        String protocol = kafka.get("security.protocol");
        if (protocol != null && !PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))) {
            throw problem("security.protocol is '" + protocol + "'; expected one of PLAINTEXT, SSL, "
                    + "SASL_PLAINTEXT, SASL_SSL");
        }
        boolean sasl = protocol != null && protocol.toUpperCase(Locale.ROOT).startsWith("SASL_");
        if (sasl && !kafka.containsKey("sasl.jaas.config")) {
            throw problem("security.protocol is " + protocol + " but sasl.jaas.config is not set (e.g. "
                    + "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"...\" "
                    + "password=\"...\";)");
        }
        for (String key : new String[] {"ssl.truststore.location", "ssl.keystore.location"}) {
            String f = kafka.get(key);
            if (f != null && !f.isEmpty() && !Files.isReadable(Path.of(f))) {
                throw problem(key + " names " + f + ", which does not exist or cannot be read");
            }
        }
        try {
            registry("http://registry.invalid");
        } catch (RuntimeException e) {
            throw problem(e.getMessage());
        }
    }

    private IllegalArgumentException problem(String what) {
        return new IllegalArgumentException("Kafka client config " + source + ": " + what);
    }

    /** The Kafka client settings (security and any other client key), without where to connect. */
    public Map<String, String> kafkaProperties() {
        return kafka;
    }

    /** Puts the Kafka client settings into a client's properties (after its own defaults, so the file wins). */
    public <M extends Map<Object, Object>> M applyTo(M props) {
        props.putAll(kafka);
        return props;
    }

    /** The same for a {@code Map<String, Object>} (Kafka Streams, admin clients). */
    public Map<String, Object> applyToConfigs(Map<String, Object> configs) {
        configs.putAll(kafka);
        return configs;
    }

    /** The registry at {@code url} with this file's credentials, if any. */
    public RegistryConfig registry(String url) {
        Map<String, Object> m = new LinkedHashMap<>(registry);
        m.put(RegistryConfig.URL_KEY, url);
        return RegistryConfig.fromConfigs(m);
    }

    /** Whether the file set anything. */
    public boolean isEmpty() {
        return kafka.isEmpty() && registry.isEmpty();
    }

    /** Whether a key's value is a secret that must never be printed. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("token")
                || k.contains("user.info") || k.endsWith(".key") || k.contains("credentials");
    }

    /** The settings with every secret hidden, for logs. */
    @Override
    public String toString() {
        if (source == null) {
            return "no Kafka client config";
        }
        Map<String, String> shown = new TreeMap<>();
        kafka.forEach((k, v) -> shown.put(k, isSecret(k) ? "[hidden]" : v));
        registry.forEach((k, v) -> shown.put(k, isSecret(k) ? "[hidden]" : v));
        return "Kafka client config " + source + " " + shown;
    }
}
