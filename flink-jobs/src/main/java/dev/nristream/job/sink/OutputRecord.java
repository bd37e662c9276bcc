package dev.nristream.job.sink;

/** One encoded Kafka record on its way to the job's single transactional sink. A Flink POJO. */
public class OutputRecord {
    public String topic;
    public byte[] key;
    public byte[] value;

    public OutputRecord() {
    }

    public OutputRecord(String topic, byte[] key, byte[] value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }
}
