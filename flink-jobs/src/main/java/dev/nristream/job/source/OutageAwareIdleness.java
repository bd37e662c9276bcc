package dev.nristream.job.source;

import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Idleness that tells a quiet partition from a quiet broker. Flink's {@code withIdleness} marks a partition idle once
 * it has had no record for the idleness time, whatever the reason; during a broker outage every partition goes idle,
 * and after the restart the partition whose buffered frames are read first carries the watermark past the others,
 * whose frames then arrive behind it and are dead-lettered as LATE (docs/RELIABILITY.md). Here a partition
 * (a split of the Kafka source) is marked idle only when
 * <ul>
 *   <li>it has had no record for {@code idleMs} while another partition of the same reader did, counted from when
 *       the reader last came back from being all quiet (so after an outage every partition gets a fresh idleness
 *       time to deliver what it buffered); or</li>
 *   <li>it never had a record and has been quiet for {@code idleMs} (a partition no feed writes to, as before); or</li>
 *   <li>it has had no record for {@code outageMs}: the longest a quiet reader is taken for an outage. A feed that
 *       stopped for good on a reader with no other live partition holds the watermark back this long.</li>
 * </ul>
 * Otherwise, while the whole reader is quiet, the partition stays active and holds its watermark, as it would for
 * an outage. The splits of one source subtask share this object's state (each subtask deserialises its own copy).
 *
 * <pre>{@code
 * WatermarkStrategy<FrameEnvelope> s = new OutageAwareIdleness<>(base, 5_000, 60_000);
 * }</pre>
 */
public final class OutageAwareIdleness<T> implements WatermarkStrategy<T> {
    private static final long serialVersionUID = 1L;

    private final WatermarkStrategy<T> base;
    private final long idleMs;
    private final long outageMs;
    private transient ReaderActivity activity;

    /**
     * @param base the strategy whose timestamps and watermarks are kept
     * @param idleMs quiet time after which a partition stops holding the watermark while others flow
     * @param outageMs quiet time after which a partition is idle whatever the others do; at least {@code idleMs}
     */
    public OutageAwareIdleness(WatermarkStrategy<T> base, long idleMs, long outageMs) {
        if (idleMs <= 0 || outageMs < idleMs) {
            throw new IllegalArgumentException("idleness must be positive and the outage time at least the idleness, "
                    + "got " + idleMs + " and " + outageMs + " ms");
        }
        this.base = base;
        this.idleMs = idleMs;
        this.outageMs = outageMs;
    }

    @Override
    public TimestampAssigner<T> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return base.createTimestampAssigner(context);
    }

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        synchronized (this) {
            if (activity == null) {
                activity = new ReaderActivity(idleMs);
            }
        }
        return new Generator<>(base.createWatermarkGenerator(context), activity, idleMs, outageMs,
                () -> System.nanoTime() / 1_000_000);
    }

    /** When any partition of one reader last had a record, and when the reader last came back from being quiet. */
    static final class ReaderActivity {
        private final long idleMs;
        private long lastRecordMs = Long.MIN_VALUE / 2;
        private long resumedMs = Long.MIN_VALUE / 2;

        ReaderActivity(long idleMs) {
            this.idleMs = idleMs;
        }

        synchronized void record(long now) {
            if (now - lastRecordMs >= idleMs) {
                resumedMs = now;
            }
            lastRecordMs = now;
        }

        synchronized long lastRecordMs() {
            return lastRecordMs;
        }

        synchronized long resumedMs() {
            return resumedMs;
        }
    }

    /** One partition's generator: the base generator's watermarks, idleness by the rules of the class. */
    static final class Generator<T> implements WatermarkGenerator<T> {
        private final WatermarkGenerator<T> inner;
        private final ReaderActivity reader;
        private final long idleMs;
        private final long outageMs;
        private final LongSupplier clockMs;
        private long lastRecordMs;
        private boolean seen;

        Generator(WatermarkGenerator<T> inner, ReaderActivity reader, long idleMs, long outageMs, LongSupplier clockMs) {
            this.inner = inner;
            this.reader = reader;
            this.idleMs = idleMs;
            this.outageMs = outageMs;
            this.clockMs = clockMs;
            this.lastRecordMs = clockMs.getAsLong();
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            long now = clockMs.getAsLong();
            lastRecordMs = now;
            seen = true;
            reader.record(now);
            inner.onEvent(event, eventTimestamp, output);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (idle(clockMs.getAsLong())) {
                output.markIdle();
            } else {
                inner.onPeriodicEmit(output);
            }
        }

        boolean idle(long now) {
            long quiet = now - lastRecordMs;
            if (quiet < idleMs) {
                return false;
            }
            if (!seen || quiet >= outageMs) {
                return true;
            }
            boolean othersFlow = now - reader.lastRecordMs() < idleMs;
            return othersFlow && now - Math.max(lastRecordMs, reader.resumedMs()) >= idleMs;
        }
    }
}
