package dev.nristream.topic;

import dev.nristream.kafka.ClientConfigFile;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics that are missing on a broker: the one place the analytics, the local sandbox and the demo
 * create topics on a Kafka they did not start. Existing topics are kept as they are; a topic created concurrently
 * by someone else counts as created.
 *
 * <pre>{@code
 * Set<String> created = TopicAdmin.createMissing("localhost:9092", List.of(Topics.POSITIONS.name()), 4,
 *         Duration.ofSeconds(15));
 * }</pre>
 */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /** An admin client whose calls give up after {@code timeout}. */
    public static Admin admin(String bootstrapServers, Duration timeout) {
        return admin(bootstrapServers, timeout, ClientConfigFile.none());
    }

    /** The same on a secured cluster: the file's client settings ({@code --kafka-config}) are added. */
    public static Admin admin(String bootstrapServers, Duration timeout, ClientConfigFile security) {
        Map<String, Object> c = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000)));
        return Admin.create(security.applyToConfigs(c));
    }

    /** As {@link #createMissing(Admin, Collection, int, Duration)} with its own admin client. */
    public static Set<String> createMissing(String bootstrapServers, Collection<String> names, int partitions,
            Duration timeout) {
        try (Admin admin = admin(bootstrapServers, timeout)) {
            return createMissing(admin, names, partitions, timeout);
        }
    }

    /**
     * Creates those of {@code names} the broker does not have, with {@code partitions} partitions and the broker's
     * default replication factor.
     *
     * @return the names created by this call
     * @throws IllegalArgumentException when the broker does not answer within {@code timeout} or refuses a topic,
     *     naming the broker
     */
    public static Set<String> createMissing(Admin admin, Collection<String> names, int partitions, Duration timeout) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> missing = new TreeSet<>(names);
            missing.removeAll(existing);
            if (missing.isEmpty()) {
                return Set.of();
            }
            List<NewTopic> news = missing.stream()
                    .map(n -> new NewTopic(n, Optional.of(partitions), Optional.empty())).toList();
            Set<String> created = new TreeSet<>();
            for (var e : admin.createTopics(news).values().entrySet()) {
                try {
                    e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalArgumentException("cannot create topic " + e.getKey() + ": "
                                + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
            return created;
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("Kafka did not answer within " + timeout + " while creating topics "
                    + names, e);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("Kafka: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
