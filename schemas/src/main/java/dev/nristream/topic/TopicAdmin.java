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
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
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
            awaitWritable(admin, created, timeout);
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

    /**
     * Waits until the leader of every partition of {@code names} serves it. "Created" only means the controller
     * recorded the topic; the broker opens the partition a moment later, and a producer with several requests in
     * flight that writes in that moment can have its first request refused (NOT_LEADER_OR_FOLLOWER) and its
     * second accepted, after which the first is retried as OUT_OF_ORDER_SEQUENCE until its delivery timeout drops
     * it (KAFKA-15591). A list-offsets request is answered by the partition's leader only once it has opened the
     * partition; it is asked again (the admin client itself gives up on UNKNOWN_TOPIC_OR_PARTITION, which a broker
     * answers until it has applied the topic) until every partition answers or {@code timeout} passes.
     *
     * @throws IllegalArgumentException when some partition is not served within {@code timeout}
     */
    public static void awaitWritable(Admin admin, Collection<String> names, Duration timeout) {
        if (names.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                try {
                    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                    admin.describeTopics(names).allTopicNames().get(left, TimeUnit.MILLISECONDS)
                            .forEach((topic, d) -> d.partitions().forEach(
                                    p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                    admin.listOffsets(request).all().get(left, TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                        throw new IllegalArgumentException("Kafka, waiting for the partitions of " + names + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
                Thread.sleep(50);
            }
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("the partitions of " + names + " were not served within " + timeout,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics " + names, e);
        }
    }
}
