package dev.nristream.replay;

import dev.nristream.avro.PositionFrame;
import java.util.ArrayList;
import java.util.List;

/** Keeps every frame (copies, since a replay may reuse nothing but the test should not depend on that). */
final class CollectingSink implements FrameSink {
    final List<PositionFrame> frames = new ArrayList<>();
    int flushes;
    boolean closed;

    @Override
    public void accept(PositionFrame frame) {
        frames.add(PositionFrame.newBuilder(frame).build());
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public long delivered() {
        return frames.size();
    }

    @Override
    public String describe() {
        return "list";
    }

    @Override
    public void close() {
        closed = true;
    }
}
