package dev.nristream.demo;

import dev.nristream.analytics.AnalyticsTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What the demo does to someone else's Kafka and registry ({@code --bootstrap}, {@code --registry}): checks that they
 * answer (a user error naming the address when not), creates the demo topics that are missing, and removes the
 * run's own consumer groups and Kafka Streams internal topics at the end.
 */
final class ExternalServices {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private ExternalServices() {
    }

    /** @throws IllegalArgumentException when the broker does not answer */
    static void checkKafka(String bootstrap) {
        Admin admin = admin(bootstrap);
        try {
            admin.describeCluster().nodes().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("Kafka at " + bootstrap + " does not answer within "
                    + TIMEOUT.toSeconds() + " s; check --bootstrap", e);
        } catch (ExecutionException | RuntimeException e) {
            throw new IllegalArgumentException("Kafka at " + bootstrap + " does not answer ("
                    + DemoPipeline.rootMessage(e) + "); check --bootstrap", e);
        } finally {
            // Without a bound, closing waits for the unanswered call's own timeout a second time.
            admin.close(Duration.ofSeconds(1));
        }
    }

    /** @throws IllegalArgumentException when the registry does not answer {@code GET /subjects} */
    static void checkRegistry(String url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalArgumentException("the schema registry at " + url + " answered HTTP "
                        + r.statusCode() + " to GET /subjects; check --registry (Apicurio: "
                        + "http://HOST:8080/apis/ccompat/v7)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the schema registry at " + url + " does not answer (" + e
                    + "); check --registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Creates the missing topics with {@code partitions} partitions (the broker's replication factor), then checks
     * the analytics' co-partitioning.
     */
    static void createTopics(String bootstrap, List<String> names, int partitions) {
        try (Admin admin = admin(bootstrap)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, Optional.of(partitions), Optional.empty())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalArgumentException("cannot create the demo topics on " + bootstrap + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("Kafka at " + bootstrap + " did not create the topics in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
        // Fails clearly when positions and forecasts are not co-partitioned (the analytics' join needs it).
        AnalyticsTopics.ensure(bootstrap, false, partitions, TIMEOUT);
    }

    /** Deletes the topics starting with {@code internalTopicPrefix} and the consumer {@code groups}. */
    static void removeLeftovers(String bootstrap, String internalTopicPrefix, List<String> groups) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            List<String> internal = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(internalTopicPrefix)).toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get(30, TimeUnit.SECONDS);
            }
            admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }
}
