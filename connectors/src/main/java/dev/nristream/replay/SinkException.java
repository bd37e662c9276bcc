package dev.nristream.replay;

/** A sink could not deliver frames (broker unreachable, topic missing, registry down): the replay stops. */
public class SinkException extends RuntimeException {
    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
