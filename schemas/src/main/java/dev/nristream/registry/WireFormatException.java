package dev.nristream.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a record in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro
 * binary): too short, another magic byte, or an Avro body that does not decode with the schema its id names.
 * The message says what was found (length, first bytes). Such a record is a poison pill, never worth a retry.
 */
public class WireFormatException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
