package dev.nristream.cli;

/**
 * A problem with what the user asked for (a missing file, a bad flag value): printed as one clear line and
 * exit code 2, without a stack trace.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
