package dev.nristream.job;

/** Why a record went to the dead-letter topic: the {@code error_kind} of a {@code DeadLetter}. */
public enum DeadLetterKind {
    /** Bytes that are not in the registry wire format or do not decode with their schema. */
    UNDECODABLE,
    /** A wire-format record whose schema id the registry does not know. */
    UNKNOWN_SCHEMA,
    /** A frame that breaks the contract otherwise (blank scene id, repeated agent id, bad dimensions). */
    INVALID_FRAME,
    /** A NaN or infinite coordinate or velocity. */
    NON_FINITE_COORDINATE,
    /** Fewer than 2 agents: no interaction to infer. */
    TOO_FEW_AGENTS,
    /** More agents than the configured maximum. */
    TOO_MANY_AGENTS,
    /** Event time too far behind the watermark. */
    LATE,
    /** The scene's frames do not fit the model (e.g. 3D joints sent to a 2D particle model). */
    MODEL_MISMATCH
}
