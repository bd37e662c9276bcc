package dev.nristream.io;

/**
 * A file that is not a .npy file this reader understands (bad magic, unsupported dtype, corrupt header, data
 * shorter than its shape). An {@link IllegalArgumentException}: it is the input's fault, and the CLI reports it in
 * one line with exit code 2.
 */
public class NpyFormatException extends IllegalArgumentException {
    public NpyFormatException(String message) {
        super(message);
    }
}
