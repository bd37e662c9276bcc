package dev.nristream.model;

/** A model directory or description that cannot be used, with a message naming what is wrong. */
public class ModelException extends IllegalArgumentException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
