package dev.nristream.tail;

import java.util.List;

/** A topic name that {@link dev.nristream.topic.Topics} does not declare; the message lists the known ones. */
public final class UnknownTopicException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> known;

    public UnknownTopicException(String name, List<String> known) {
        super("unknown topic '" + name + "'; known topics: " + String.join(", ", known));
        this.known = List.copyOf(known);
    }

    /** The declared topic names. */
    public List<String> known() {
        return known;
    }
}
