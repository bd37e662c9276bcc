package dev.nristream.demo;

import dev.nristream.analytics.AnalyticsTopics;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.topic.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * What the demo does to someone else's Kafka ({@code --bootstrap}) beyond {@link dev.nristream.embedded.LocalServices}
 * (which checks it answers and creates the missing topics): checks the analytics' co-partitioning, and removes the
 * run's own consumer groups and Kafka Streams internal topics at the end.
 */
final class ExternalServices {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private ExternalServices() {
    }

    /** Checks the analytics' co-partitioning of the topics the demo created or found. */
    static void checkAnalyticsTopics(String bootstrap, int partitions, ClientConfigFile security) {
        AnalyticsTopics.ensure(bootstrap, false, partitions, TIMEOUT, security);
    }

    /** Deletes the topics starting with {@code internalTopicPrefix} and the consumer {@code groups}. */
    static void removeLeftovers(String bootstrap, ClientConfigFile security, String internalTopicPrefix,
            List<String> groups) throws Exception {
        try (Admin admin = TopicAdmin.admin(bootstrap, TIMEOUT, security)) {
            List<String> internal = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(internalTopicPrefix)).toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get(30, TimeUnit.SECONDS);
            }
            admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
        }
    }

}
