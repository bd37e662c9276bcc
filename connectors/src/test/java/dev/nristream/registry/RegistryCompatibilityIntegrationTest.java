package dev.nristream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.testing.RealServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What docs/CONSUMING.md tells operators to do works on the registry the project runs (Apicurio's Confluent API):
 * with a subject's compatibility set to BACKWARD, today's output schemas register over the released ones, and a
 * version that old data could not be read with is refused.
 */
@ExtendWith(RealServices.class)
class RegistryCompatibilityIntegrationTest {

    private static final Path RELEASED = Paths.get(System.getProperty("nri.project.root", ".."))
            .resolve("schemas/src/main/avro-released/0.1.0");

    @Test
    void backwardSubjectsAcceptTodaysOutputSchemasAndRefuseABreakingOne() throws Exception {
        SchemaRegistryClient client = new SchemaRegistryClient(RealServices.registryConfig());
        for (Class<?> type : List.of(InteractionGraph.class, TrajectoryForecast.class, DeadLetter.class)) {
            Schema current = SpecificData.get().getSchema(type);
            Schema released = new Schema.Parser().parse(RELEASED.resolve(type.getSimpleName() + ".avsc").toFile());
            String subject = "compat-" + UUID.randomUUID() + "-value";
            setBackward(subject);

            int releasedId = client.register(subject, released);
            int currentId = client.register(subject, current);
            assertThat(client.schemaById(currentId).getFullName()).isEqualTo(current.getFullName());
            assertThat(client.schemaById(releasedId).getFullName()).isEqualTo(released.getFullName());

            String json = current.toString();
            int end = json.lastIndexOf(']');
            Schema broken = new Schema.Parser().parse(json.substring(0, end)
                    + ",{\"name\":\"confidence\",\"type\":\"double\"}" + json.substring(end));
            assertThatThrownBy(() -> client.register(subject, broken)).as(type.getSimpleName())
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.INCOMPATIBLE_SCHEMA));
        }
    }

    /** {@code PUT /config/{subject}}, the Confluent API call CONSUMING.md gives. */
    private static void setBackward(String subject) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(RealServices.registryUrl() + "/config/" + subject))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("PUT /config/%s: %s", subject, r.body()).isEqualTo(200);
        assertThat(r.body()).contains("BACKWARD");
    }
}
