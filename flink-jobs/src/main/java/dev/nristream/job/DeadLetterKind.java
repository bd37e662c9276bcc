package dev.nristream.job;

/** Why a record went to the dead-letter topic: the {@code error_kind} of a {@code DeadLetter}. */
public enum DeadLetterKind {
    /** Bytes that are not in the registry wire format or do not decode with their schema. */
    UNDECODABLE,
    /** A wire-format record whose schema id the registry does not know. */
    UNKNOWN_SCHEMA,
    /**
     * A frame that breaks the contract otherwise (blank scene id, repeated agent id, bad dimensions, a scene or
     * agent id longer than {@code FrameValidator.MAX_ID_LENGTH} characters).
     */
    INVALID_FRAME,
    /** A NaN or infinite coordinate or velocity. */
    NON_FINITE_COORDINATE,
    /** Fewer than 2 agents: no interaction to infer. */
    TOO_FEW_AGENTS,
    /** More agents than the configured maximum. */
    TOO_MANY_AGENTS,
    /**
     * Event time too far behind the watermark, or older than every frame the scene's next window still needs (a
     * frame re-sent after its window was made).
     */
    LATE,
    /** Event time further ahead of the job's clock (and of the newest frame read) than {@code future.tolerance-ms}. */
    FUTURE,
    /** A frame whose index the scene's window buffer already holds: a re-sent frame, dropped. */
    DUPLICATE,
    /**
     * A frame whose event time goes the other way from its index against a frame the scene already holds (a later
     * index with an earlier time, or the reverse): the scene's clock went backwards.
     */
    TIME_BACKWARDS,
    /** The scene's frames do not fit the model (e.g. 3D joints sent to a 2D particle model). */
    MODEL_MISMATCH,
    /**
     * A model hot-swap request ({@code ModelControl}) the job refused: the model does not open, or does not fit what
     * the model it would replace serves; the old model keeps serving.
     */
    MODEL_REFUSED
}
