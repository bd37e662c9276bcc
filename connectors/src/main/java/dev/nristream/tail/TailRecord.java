package dev.nristream.tail;

import org.apache.avro.specific.SpecificRecord;

/**
 * One record read by {@link TopicTail}: decoded ({@code value} set) or not ({@code problem} says why).
 *
 * @param topic topic name
 * @param partition partition
 * @param offset offset
 * @param timestampMs the record's Kafka timestamp, ms
 * @param key the key as UTF-8 text (the scene id), or null
 * @param value the decoded value, null when the value was null or did not decode
 * @param valueBytes size of the raw value, -1 for a null value
 * @param problem why the value did not decode, or null
 */
public record TailRecord(String topic, int partition, long offset, long timestampMs, String key,
        SpecificRecord value, int valueBytes, String problem) {

    /** Whether the value did not decode. */
    public boolean undecodable() {
        return problem != null;
    }
}
