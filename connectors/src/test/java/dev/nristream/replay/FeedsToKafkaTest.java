package dev.nristream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import dev.nristream.feed.csv.CsvLayout;
import dev.nristream.feed.csv.CsvOptions;
import dev.nristream.feed.mocap.MocapOptions;
import dev.nristream.feed.sportvu.SyntheticSportVu;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every feed replayed into the real broker with the real registry serde; a consumer decodes the topic and must get
 * exactly the frames the feed produces, keyed by scene, in order per scene.
 */
@ExtendWith(RealServices.class)
class FeedsToKafkaTest {

    private static Path data() {
        return Path.of(System.getProperty("nri.shared.data"));
    }

    @Test
    void mocapTrial() throws IOException {
        Path dir = data().resolve("cmu-mocap/subject35");
        FrameSourceFactory feed = Feeds.mocap(dir.resolve("35.asf"), List.of(dir.resolve("35_07.amc")),
                MocapOptions.defaults().withFps(30).withMetres(true));
        roundTrip("mocap", feed, 0);
    }

    @Test
    void sportVuGame(@TempDir Path tmp) throws IOException {
        Path game = tmp.resolve("game.json");
        long distinct = SyntheticSportVu.writeGame(game, "0029900002", 2, 150, 60, 20, 1_453_590_000_000L);
        FrameSourceFactory feed = Feeds.sportVu(List.of(game));
        List<PositionFrame> sent = roundTrip("sportvu", feed, 0);
        assertThat(sent).hasSize((int) distinct);
        assertThat(sent).extracting(PositionFrame::getSceneId).containsOnly("0029900002-p1", "0029900002-p2");
    }

    @Test
    void csvFile() throws IOException {
        FrameSourceFactory feed = Feeds.csv(data().resolve("nba-tracking/tor_starters_25hz_feet.csv"),
                CsvOptions.builder(CsvLayout.WIDE, 25).withUnit("ft").withOrigin("corner").withExtent(94, 50)
                        .build());
        roundTrip("csv", feed, 400);
    }

    @Test
    void simulatedScenes() throws IOException {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5).build();
        List<PositionFrame> sent = roundTrip("sim", Feeds.simulated(cfg, 3, 11, 20), 0);
        assertThat(sent).hasSize(60);
        assertThat(sent).allSatisfy(f -> assertThat(f.getGroundTruthEdges()).hasSize(20));
    }

    /** Replays {@code feed} at max speed into a fresh topic and checks the consumer decodes the same frames. */
    private static List<PositionFrame> roundTrip(String name, FrameSourceFactory feed, long maxFrames)
            throws IOException {
        String topic = "it.replay." + name + "." + UUID.randomUUID();
        RealServices.createTopics(3, topic);
        ReplaySummary summary;
        try (KafkaFrameSink sink = KafkaFrameSink.create(ProducerSettings.defaults(RealServices.bootstrapServers()),
                RealServices.registryConfig(), Topics.POSITIONS, topic)) {
            summary = Replay.builder().setSource(feed).setSink(sink).withSpeed(Speed.MAX).withMaxFrames(maxFrames)
                    .withProblems(FeedProblems.silent()).build().run();
        }
        List<PositionFrame> expected = new ArrayList<>();
        try (FrameSource src = feed.open(FeedProblems.silent())) {
            while (src.hasNext() && (maxFrames == 0 || expected.size() < maxFrames)) {
                expected.add(src.next());
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(summary.frames()).isEqualTo(expected.size());
        assertThat(summary.delivered()).isEqualTo(expected.size());

        List<ConsumerRecord<String, PositionFrame>> got = consume(topic, expected.size());
        assertThat(got).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getSceneId()));
        // Kafka orders per partition, and a scene lives in one partition: compare scene by scene.
        Map<String, List<PositionFrame>> byScene = group(got.stream().map(ConsumerRecord::value).toList());
        assertThat(byScene).isEqualTo(group(expected));
        return got.stream().map(ConsumerRecord::value).toList();
    }

    private static Map<String, List<PositionFrame>> group(List<PositionFrame> frames) {
        Map<String, List<PositionFrame>> m = new java.util.TreeMap<>();
        frames.forEach(f -> m.computeIfAbsent(f.getSceneId(), k -> new ArrayList<>()).add(f));
        return m;
    }

    private static List<ConsumerRecord<String, PositionFrame>> consume(String topic, int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, PositionFrame>> out = new ArrayList<>();
        try (KafkaConsumer<String, PositionFrame> c = new KafkaConsumer<>(p, new StringDeserializer(),
                RegistrySerdes.valueDeserializer(Topics.POSITIONS, RealServices.registryConfig()))) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // Nothing beyond what was sent.
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        assertThat(out).hasSize(n);
        return out;
    }
}
