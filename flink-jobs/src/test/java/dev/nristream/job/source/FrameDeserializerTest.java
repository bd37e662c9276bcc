package dev.nristream.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.job.DeadLetterKind;
import dev.nristream.job.FrameEnvelope;
import dev.nristream.registry.RegistryConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Poison pills that never reach the registry; unknown schema ids are covered with the real registry in JobDeadLetterIntegrationTest. */
class FrameDeserializerTest {

    // Nothing listens here: a test that reached the registry would fail with UNREACHABLE, not pass.
    final FrameDeserializer d = new FrameDeserializer(RegistryConfig.of("http://127.0.0.1:9/apis/ccompat/v7"), 64);

    @Test
    void bytesNotInWireFormatAreUndecodable() throws Exception {
        byte[] key = "scene-1".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"x\": 1}".getBytes(StandardCharsets.UTF_8);
        FrameEnvelope e = d.decode("tracking.positions", 2, 17, key, value);
        assertThat(e.isOk()).isFalse();
        assertThat(e.errorKind).isEqualTo(DeadLetterKind.UNDECODABLE.name());
        assertThat(e.reason).contains("tracking.positions/2@17");
        assertThat(e.value).isEqualTo(value);
        assertThat(e.key).isEqualTo(key);
        assertThat(e.sceneId).isEqualTo("scene-1");
        assertThat(e.eventTimeMs()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void tombstonesAndShortRecordsAreUndecodable() throws Exception {
        assertThat(d.decode("t", 0, 1, null, null).errorKind).isEqualTo("UNDECODABLE");
        assertThat(d.decode("t", 0, 1, null, null).reason).contains("no value");
        assertThat(d.decode("t", 0, 2, null, new byte[] {0, 1}).errorKind).isEqualTo("UNDECODABLE");
    }

    @Test
    void framesFarAheadOfTheClockAreFromTheFutureButAFastReplayIsNot() {
        long now = 1_800_000_000_000L;
        FrameDeserializer f = new FrameDeserializer(RegistryConfig.of("http://127.0.0.1:9/apis/ccompat/v7"), 64,
                60_000).withClock(() -> now);
        assertThat(f.fromTheFuture("s", 0, now - 600_000)).as("10 minutes late is not the future").isNull();
        assertThat(f.fromTheFuture("s", 1, now + 59_000)).isNull();
        assertThat(f.fromTheFuture("bad", 7, now + 600_000)).contains("scene bad frame 7")
                .contains("600000 ms ahead of the job's clock").contains("future.tolerance-ms 60000");
        // A replay at full speed: 100 ms of event time per frame, an hour ahead of the clock by the end.
        for (int k = 0; k < 36_000; k++) {
            assertThat(f.fromTheFuture("fast", k, now + 100L * k)).as("frame %d", k).isNull();
        }
        assertThat(f.fromTheFuture("bad", 8, now + 3_600_000 + 120_000)).contains("ahead of the newest frame read");
        FrameDeserializer off = new FrameDeserializer(RegistryConfig.of("http://127.0.0.1:9/apis/ccompat/v7"), 64, 0)
                .withClock(() -> now);
        assertThat(off.fromTheFuture("s", 0, now + 86_400_000L)).isNull();
    }
}
