package dev.nristream.job.serving;

/**
 * A {@code ModelControl} record as the job carries it (a Flink POJO; Avro objects never travel between operators),
 * or the reason the record could not be read, with its raw bytes for the dead letter.
 */
public class ModelControlEvent {
    public String modelDir;
    public String replaces;
    public String requestedBy;
    public long timeMs;
    /** Null for a readable record, else why it is not. */
    public String error;
    public String topic;
    public int partition = -1;
    public long offset = -1;
    public byte[] key;
    /** Raw value, kept only for an unreadable record. */
    public byte[] value;

    public ModelControlEvent() {
    }

    public boolean isOk() {
        return error == null;
    }

    /** Where the record came from, e.g. {@code nri.model-control/0@12}. */
    public String at() {
        return topic + "/" + partition + "@" + offset;
    }
}
