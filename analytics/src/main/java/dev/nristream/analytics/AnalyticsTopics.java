package dev.nristream.analytics;

import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.topic.TopicAdmin;
import dev.nristream.topic.TopicSpec;
import dev.nristream.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Checks, before the analytics start, that the broker answers and that the topics the analytics read and write
 * exist with co-partitioned inputs (Kafka Streams would otherwise stop with a less helpful error); optionally
 * creates the missing ones.
 */
public final class AnalyticsTopics {

    private AnalyticsTopics() {
    }

    /** Topics the analytics read. */
    public static List<TopicSpec<String, ?>> inputs() {
        return List.of(Topics.POSITIONS, Topics.FORECASTS, Topics.GRAPHS);
    }

    /** Inputs and outputs. */
    public static List<TopicSpec<String, ?>> all() {
        List<TopicSpec<String, ?>> all = new ArrayList<>(inputs());
        all.addAll(Topics.analyticsTopics());
        return all;
    }

    /**
     * Verifies the topics, creating missing ones with {@code partitions} partitions when {@code create}.
     *
     * @throws IllegalArgumentException when the broker does not answer within {@code timeout}, topics are missing
     *     (and not to be created) or the positions and forecasts topics have different partition counts
     */
    public static void ensure(String bootstrapServers, boolean create, int partitions, Duration timeout) {
        ensure(bootstrapServers, create, partitions, timeout, ClientConfigFile.none());
    }

    /** The same on a secured cluster ({@code --kafka-config}). */
    public static void ensure(String bootstrapServers, boolean create, int partitions, Duration timeout,
            ClientConfigFile security) {
        try (Admin admin = TopicAdmin.admin(bootstrapServers, timeout, security)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> missing = new TreeSet<>();
            for (TopicSpec<String, ?> t : all()) {
                if (!existing.contains(t.name())) {
                    missing.add(t.name());
                }
            }
            if (!missing.isEmpty() && !create) {
                throw new IllegalArgumentException("topics missing on " + bootstrapServers + ": " + missing
                        + " (create them, e.g. with the docker-compose topic service, or pass --create-topics)");
            }
            if (!missing.isEmpty()) {
                TopicAdmin.createMissing(admin, missing, partitions, timeout);
            }
            Map<String, TopicDescription> d = admin.describeTopics(List.of(Topics.POSITIONS.name(),
                    Topics.FORECASTS.name())).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int pos = d.get(Topics.POSITIONS.name()).partitions().size();
            int fc = d.get(Topics.FORECASTS.name()).partitions().size();
            if (pos != fc) {
                throw new IllegalArgumentException(Topics.POSITIONS.name() + " has " + pos + " partitions but "
                        + Topics.FORECASTS.name() + " has " + fc + ": the forecast-error join needs them equal");
            }
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("Kafka at " + bootstrapServers + " did not answer within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("Kafka at " + bootstrapServers + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }
}
