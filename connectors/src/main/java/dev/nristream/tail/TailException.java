package dev.nristream.tail;

/** The tail cannot run: the broker or the registry does not answer, or the topic does not exist there. */
public final class TailException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TailException(String message, Throwable cause) {
        super(message, cause);
    }
}
