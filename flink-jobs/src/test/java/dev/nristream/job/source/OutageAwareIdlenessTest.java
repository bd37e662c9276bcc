package dev.nristream.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.junit.jupiter.api.Test;

/** The idleness rules on a fake clock: two partitions of one reader, through a feed that stops and an outage. */
class OutageAwareIdlenessTest {

    static final long IDLE = 5_000;
    static final long OUTAGE = 60_000;

    final AtomicLong now = new AtomicLong(1_000_000);
    final OutageAwareIdleness.ReaderActivity reader = new OutageAwareIdleness.ReaderActivity(IDLE);

    /** What a partition's output saw last: idle or a watermark. */
    static final class Out implements WatermarkOutput {
        boolean idle;
        long watermark = Long.MIN_VALUE;

        @Override
        public void emitWatermark(Watermark w) {
            watermark = w.getTimestamp();
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }

    OutageAwareIdleness.Generator<Long> partition() {
        WatermarkGenerator<Long> inner = WatermarkStrategy.<Long>forMonotonousTimestamps()
                .createWatermarkGenerator(null);
        return new OutageAwareIdleness.Generator<>(inner, reader, IDLE, OUTAGE, now::get);
    }

    void record(OutageAwareIdleness.Generator<Long> p, Out out, long eventTime) {
        p.onEvent(eventTime, eventTime, out);
        p.onPeriodicEmit(out);
    }

    void advance(long ms, OutageAwareIdleness.Generator<Long> a, Out oa, OutageAwareIdleness.Generator<Long> b,
            Out ob) {
        now.addAndGet(ms);
        a.onPeriodicEmit(oa);
        b.onPeriodicEmit(ob);
    }

    @Test
    void aBrokerOutageIdlesNoPartitionAndAfterItEachGetsAFreshIdlenessTime() {
        var a = partition();
        var b = partition();
        Out oa = new Out();
        Out ob = new Out();
        for (int i = 0; i < 10; i++) {
            record(a, oa, 100 * i);
            record(b, ob, 100 * i);
            advance(100, a, oa, b, ob);
        }
        // the broker goes away for 30 s: nothing arrives on either partition
        for (int s = 0; s < 30; s++) {
            advance(1_000, a, oa, b, ob);
        }
        assertThat(oa.idle).isFalse();
        assertThat(ob.idle).isFalse(); // Flink's withIdleness(5 s) would have marked both idle 25 s ago
        long held = Math.min(oa.watermark, ob.watermark);
        // back: a delivers its buffered frames first; b must not be idled right away, or a's watermark would rule
        record(a, oa, 5_000);
        advance(1_000, a, oa, b, ob);
        assertThat(ob.idle).isFalse();
        assertThat(ob.watermark).isEqualTo(held);
        record(b, ob, 4_000);
        assertThat(ob.idle).isFalse();
    }

    @Test
    void aPartitionWhoseFeedStoppedIsIdledWhileAnotherFlows() {
        var a = partition();
        var b = partition();
        Out oa = new Out();
        Out ob = new Out();
        record(a, oa, 0);
        record(b, ob, 0);
        for (int i = 1; i <= 60; i++) { // b's feed stops; a goes on
            record(a, oa, 100 * i);
            advance(100, a, oa, b, ob);
        }
        assertThat(ob.idle).isTrue();
        assertThat(oa.idle).isFalse();
        record(b, ob, 6_000); // and wakes up again
        assertThat(ob.idle).isFalse();
    }

    @Test
    void aPartitionWithNoFeedIsIdledAsBeforeAndAQuietReaderGivesUpAfterTheOutageTime() {
        var a = partition();
        var b = partition();
        Out oa = new Out();
        Out ob = new Out();
        advance(IDLE, a, oa, b, ob);
        assertThat(oa.idle).isTrue(); // never had a record: nothing to wait for
        record(a, oa, 0);
        record(b, ob, 0);
        advance(OUTAGE - 1, a, oa, b, ob);
        assertThat(oa.idle).isFalse();
        assertThat(ob.idle).isFalse();
        advance(1, a, oa, b, ob);
        assertThat(oa.idle).isTrue();
        assertThat(ob.idle).isTrue();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new OutageAwareIdleness<Long>(WatermarkStrategy.noWatermarks(), 0, 10))
                .hasMessageContaining("idleness must be positive");
        assertThatThrownBy(() -> new OutageAwareIdleness<Long>(WatermarkStrategy.noWatermarks(), 10, 5))
                .hasMessageContaining("outage time at least the idleness");
    }
}
