package dev.nristream.job;

import dev.nristream.job.window.FrameSample;

/**
 * What the source hands the job for each Kafka record: either a usable frame or the reason it is not, with the
 * raw bytes for the dead-letter topic. Nothing that arrives fails the job (an unreachable registry does: that is
 * not the record's fault). A Flink POJO.
 */
public class FrameEnvelope {
    public String sceneId;
    /** The frame; null for a bad record. */
    public FrameSample frame;
    /** Null for a good record, else a {@link DeadLetterKind} name. */
    public String errorKind;
    public String reason;
    /** Raw key and value, kept only for bad records. */
    public byte[] key;
    public byte[] value;
    public String topic;
    public int partition = -1;
    public long offset = -1;
    /** The frame's {@code source_kind} (SPORTVU, MOCAP, ...); null for a bad record. */
    public String sourceKind;
    /** The system the frame names ({@code system}), or null. */
    public String system;

    public FrameEnvelope() {
    }

    /** A good frame. */
    public static FrameEnvelope ok(String sceneId, FrameSample frame, String topic, int partition, long offset) {
        FrameEnvelope e = new FrameEnvelope();
        e.sceneId = sceneId;
        e.frame = frame;
        e.topic = topic;
        e.partition = partition;
        e.offset = offset;
        return e;
    }

    /** A good frame that says what it is (for choosing a model, {@code dev.nristream.job.serving.ModelCatalog}). */
    public static FrameEnvelope ok(String sceneId, FrameSample frame, String sourceKind, String system, String topic,
            int partition, long offset) {
        FrameEnvelope e = ok(sceneId, frame, topic, partition, offset);
        e.sourceKind = sourceKind;
        e.system = system;
        return e;
    }

    /** A bad record. */
    public static FrameEnvelope bad(DeadLetterKind kind, String reason, String sceneId, byte[] key, byte[] value,
            String topic, int partition, long offset) {
        FrameEnvelope e = new FrameEnvelope();
        e.sceneId = sceneId;
        e.errorKind = kind.name();
        e.reason = reason;
        e.key = key;
        e.value = value;
        e.topic = topic;
        e.partition = partition;
        e.offset = offset;
        return e;
    }

    public boolean isOk() {
        return errorKind == null;
    }

    /** The frame's event time, or Long.MIN_VALUE for a bad record (it must not move the watermark). */
    public long eventTimeMs() {
        return frame == null ? Long.MIN_VALUE : frame.eventTimeMs;
    }

    /** The dead letter for this bad record. */
    public DeadLetterEvent toDeadLetter(long nowMs) {
        return DeadLetterEvent.of(topic, partition, offset, DeadLetterKind.valueOf(errorKind), reason, key, value,
                nowMs);
    }
}
