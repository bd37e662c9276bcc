package dev.nristream.job;

/**
 * A record the job could not use, on its way to the dead-letter topic (as an Avro {@code DeadLetter}). A Flink
 * POJO: Avro records never travel between operators.
 */
public class DeadLetterEvent {
    public String sourceTopic;
    public int sourcePartition = -1;
    public long sourceOffset = -1;
    public String errorKind;
    public String reason;
    public byte[] key;
    public byte[] value;
    public long timeMs;

    public DeadLetterEvent() {
    }

    public static DeadLetterEvent of(String topic, int partition, long offset, DeadLetterKind kind, String reason,
            byte[] key, byte[] value, long timeMs) {
        DeadLetterEvent d = new DeadLetterEvent();
        d.sourceTopic = topic;
        d.sourcePartition = partition;
        d.sourceOffset = offset;
        d.errorKind = kind.name();
        d.reason = reason;
        d.key = key;
        d.value = value;
        d.timeMs = timeMs;
        return d;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + errorKind + ": " + reason + " @" + sourceTopic + "/" + sourcePartition + ":"
                + sourceOffset + "}";
    }
}
