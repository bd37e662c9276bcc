package dev.nristream.replay;

import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;

/** Several sources one after another (the trials of a mocap directory, several game files), opened lazily. */
final class ConcatSource implements FrameSource {

    private final List<FrameSourceFactory> parts;
    private final FeedProblems problems;
    private final String description;
    private int nextPart;
    private FrameSource current;

    ConcatSource(List<FrameSourceFactory> parts, FeedProblems problems, String description) {
        this.parts = List.copyOf(parts);
        this.problems = problems;
        this.description = description;
    }

    @Override
    public boolean hasNext() {
        while (current == null || !current.hasNext()) {
            if (current != null) {
                current.close();
                current = null;
            }
            if (nextPart == parts.size()) {
                return false;
            }
            try {
                current = parts.get(nextPart++).open(problems);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return true;
    }

    @Override
    public PositionFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    @Override
    public FeedProblems problems() {
        return problems;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
