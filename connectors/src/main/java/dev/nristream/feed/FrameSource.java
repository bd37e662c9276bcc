package dev.nristream.feed;

import dev.nristream.avro.PositionFrame;
import java.util.Iterator;

/**
 * A finite or endless sequence of frames read from a file, a socket or a simulator. Bad input is reported to
 * {@link #problems()} and skipped; only I/O failures of the underlying stream surface as
 * {@link java.io.UncheckedIOException}.
 *
 * <pre>{@code
 * try (FrameSource src = SportVuGameReader.open(path, problems)) {
 *     while (src.hasNext()) {
 *         sink.accept(src.next());
 *     }
 * }
 * }</pre>
 */
public interface FrameSource extends Iterator<PositionFrame>, AutoCloseable {

    /** Where this source's problems go. */
    FeedProblems problems();

    /** A short human-readable name (the file name). */
    String description();

    @Override
    void close();
}
