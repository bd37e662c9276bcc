package dev.nristream.io;

/** A file that is not a .npy file this reader understands (bad magic, unsupported dtype, Fortran order...). */
public class NpyFormatException extends RuntimeException {
    public NpyFormatException(String message) {
        super(message);
    }
}
