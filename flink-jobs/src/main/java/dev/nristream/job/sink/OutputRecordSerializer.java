package dev.nristream.job.sink;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Hands encoded {@link OutputRecord}s to the Kafka sink. The record timestamp is left to the producer (wall
 * clock): event times live in the record body, and a broker refuses timestamps too far in the future
 * ({@code log.message.timestamp.after.max.ms}), which replayed or simulated feeds may carry.
 */
public final class OutputRecordSerializer implements KafkaRecordSerializationSchema<OutputRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(OutputRecord r, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(r.topic, null, null, r.key, r.value);
    }
}
