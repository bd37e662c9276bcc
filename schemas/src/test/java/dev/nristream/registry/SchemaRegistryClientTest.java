package dev.nristream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.FakeRegistry.Answer;
import dev.nristream.registry.RegistryException.Reason;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema FRAME = PositionFrame.getClassSchema();

    @Test
    void registersOnceAndFetchesOnceThanksToTheCaches() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(seen -> seen.method().equals("POST")
                ? Answer.json(200, "{\"id\":7}")
                : Answer.json(200, schemaAnswer(FRAME)))) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(fake.url()));
            assertThat(client.register("tracking.positions-value", FRAME)).isEqualTo(7);
            assertThat(client.register("tracking.positions-value", FRAME)).isEqualTo(7);
            assertThat(client.schemaById(7)).isEqualTo(FRAME);
            assertThat(client.schemaById(8)).isEqualTo(FRAME);
            assertThat(client.schemaById(8)).isEqualTo(FRAME);

            assertThat(fake.requests).extracting(FakeRegistry.Seen::method, FakeRegistry.Seen::path)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("POST",
                                    "/apis/ccompat/v7/subjects/tracking.positions-value/versions"),
                            org.assertj.core.groups.Tuple.tuple("GET", "/apis/ccompat/v7/schemas/ids/8"));
            FakeRegistry.Seen post = fake.requests.get(0);
            assertThat(post.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
            assertThat(new Schema.Parser().parse(JSON.readTree(post.body()).get("schema").asText())).isEqualTo(FRAME);
            assertThat(post.authorization()).isNull();
        }
    }

    @Test
    void lookupWithoutAutoRegisterAsksTheSubjectNotItsVersions() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(seen -> Answer.json(200,
                "{\"subject\":\"s\",\"id\":3,\"version\":1}"))) {
            RegistryConfig cfg = RegistryConfig.builder().setUrl(fake.url()).withAutoRegister(false).build();
            byte[] bytes = new AvroRegistrySerializer<PositionFrame>(cfg).serialize("topic a", frame());
            assertThat(bytes).startsWith(0, 0, 0, 0, 3);
            assertThat(fake.requests).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/apis/ccompat/v7/subjects/topic%20a-value");
            });
        }
    }

    @Test
    void unknownIdNamesTheIdAndTheRegistry() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(seen -> Answer.json(404,
                "{\"error_code\":40403,\"message\":\"Schema 42 not found\"}"))) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(fake.url()));
            assertThatThrownBy(() -> client.schemaById(42))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID);
                        assertThat(e.httpStatus()).isEqualTo(404);
                    })
                    .hasMessageContaining("Unknown schema id 42")
                    .hasMessageContaining(fake.url())
                    .hasMessageContaining("40403");
        }
    }

    @Test
    void unreachableRegistryNamesTheUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(url));
        assertThatThrownBy(() -> client.register("s", FRAME))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageContaining("Schema registry at " + url + " is unreachable");
    }

    @Test
    void slowRegistryTimesOut() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(seen -> new Answer(200, "{\"id\":1}", 3000))) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.builder().setUrl(fake.url())
                    .withRequestTimeout(Duration.ofMillis(300)).build());
            assertThatThrownBy(() -> client.register("s", FRAME))
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                    .hasMessageContaining("no answer within 300 ms")
                    .hasMessageContaining(fake.url());
        }
    }

    @Test
    void sendsBasicAuthAndExplainsARefusal() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(seen -> Answer.json(401,
                "{\"error_code\":401,\"message\":\"Unauthorized\"}"))) {
            RegistryConfig cfg = RegistryConfig.fromConfigs(java.util.Map.of("schema.registry.url", fake.url(),
                    "basic.auth.user.info", "alice:secret"));
            SchemaRegistryClient client = new SchemaRegistryClient(cfg);
            assertThatThrownBy(() -> client.register("s", FRAME))
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("user 'alice'")
                    .hasMessageNotContaining("secret");
            assertThat(fake.requests.get(0).authorization()).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void incompatibleAndGarbledAnswersAreReported() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(seen -> seen.method().equals("POST")
                ? Answer.json(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}")
                : Answer.json(500, "<html>proxy error</html>"))) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(fake.url()));
            assertThatThrownBy(() -> client.register("s", FRAME))
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
                    .hasMessageContaining("incompatible");
            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
                    .hasMessageContaining("HTTP 500")
                    .hasMessageContaining("proxy error");
        }
    }

    static String schemaAnswer(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    static PositionFrame frame() {
        return PositionFrame.newBuilder()
                .setSceneId("s1")
                .setSourceKind(dev.nristream.avro.SourceKind.CSV)
                .setFrameIndex(3)
                .setEventTimeMs(1000)
                .setSamplingRateHz(25.0)
                .setCoordinates(dev.nristream.avro.CoordinateSystem.newBuilder().setUnit("ft").setOrigin("corner")
                        .setDimensions(2).setExtent(java.util.List.of(94.0, 50.0)).build())
                .setAgents(java.util.List.of(dev.nristream.avro.Agent.newBuilder().setId("ball").setX(1).setY(2)
                        .build()))
                .build();
    }
}
