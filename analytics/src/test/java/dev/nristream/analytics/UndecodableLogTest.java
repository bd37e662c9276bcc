package dev.nristream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.analytics.UndecodableLog.Logged;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.WireFormatException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UndecodableLogTest {

    final AtomicLong now = new AtomicLong();
    final UndecodableLog log = new UndecodableLog(3, Duration.ofSeconds(10), now::get);

    @Test
    void firstFewPerKindAreSampledTheRestCountedWithAPeriodicSummary() {
        Map<Logged, Integer> seen = new EnumMap<>(Logged.class);
        RegistryException unknown = new RegistryException(RegistryException.Reason.UNKNOWN_SCHEMA_ID, "http://r",
                404, "Unknown schema id 7", null);
        for (int i = 0; i < 200; i++) {
            now.addAndGet(100_000_000L); // 0.1 s apart: 20 s in all
            seen.merge(log.skipped("t", 0, i, unknown), 1, Integer::sum);
        }
        for (int i = 0; i < 5; i++) {
            seen.merge(log.skipped("u", 0, i, new SerializationException(new WireFormatException("bad"))), 1,
                    Integer::sum);
        }
        assertThat(seen.get(Logged.SAMPLE)).isEqualTo(3 + 3);
        assertThat(seen.get(Logged.SUMMARY)).isEqualTo(2); // at 10 s and 20 s
        assertThat(seen.get(Logged.SAMPLE) + seen.get(Logged.SUMMARY) + seen.get(Logged.COUNTED)).isEqualTo(205);
        assertThat(log.total()).isEqualTo(205);
        assertThat(log.totals()).containsEntry("UNKNOWN_SCHEMA_ID", 200L).containsEntry("UNDECODABLE", 5L);
        assertThat(log.totals("t")).isEqualTo(Map.of("UNKNOWN_SCHEMA_ID", 200L));
        assertThat(log.totals("u")).isEqualTo(Map.of("UNDECODABLE", 5L));
        assertThat(log.totals("neither")).isEmpty();
    }

    @Test
    void otherErrorsAreKindedByClass() {
        assertThat(UndecodableLog.kindOf(new IllegalStateException("x"))).isEqualTo("IllegalStateException");
    }
}
