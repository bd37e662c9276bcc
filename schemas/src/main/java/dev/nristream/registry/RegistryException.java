package dev.nristream.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry could not give what was asked: it is unreachable, does not know a schema id, refused the
 * credentials or rejected a schema. The message names the registry URL; {@link #reason()} lets callers decide
 * (an {@link Reason#UNKNOWN_SCHEMA_ID} record is a poison pill for the dead-letter topic, an
 * {@link Reason#UNREACHABLE} registry is worth a retry).
 *
 * <p>Extends Kafka's {@link SerializationException} so Kafka clients and Kafka Streams treat it as the
 * (de)serialization failure it is.
 */
public class RegistryException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** No connection, connection refused, or no answer within the timeout. */
        UNREACHABLE,
        /** The registry has no schema with the id a record carries. */
        UNKNOWN_SCHEMA_ID,
        /** The subject, or the schema under the subject, is not registered (lookup without auto-register). */
        NOT_REGISTERED,
        /** HTTP 401/403. */
        UNAUTHORIZED,
        /** The registry refused a new version as incompatible (HTTP 409). */
        INCOMPATIBLE_SCHEMA,
        /** The registry answered something unexpected (other HTTP status, unparsable body, bad schema). */
        BAD_RESPONSE,
        /** The calling thread was interrupted while waiting for the registry. */
        INTERRUPTED
    }

    private final Reason reason;
    private final String registryUrl;
    private final int httpStatus;

    public RegistryException(Reason reason, String registryUrl, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.registryUrl = registryUrl;
        this.httpStatus = httpStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** Base URL of the registry that was asked. */
    public String registryUrl() {
        return registryUrl;
    }

    /** HTTP status of the answer, or -1 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }
}
