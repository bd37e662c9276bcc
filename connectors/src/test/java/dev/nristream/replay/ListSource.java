package dev.nristream.replay;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A source over fixed frames, new copies on every open. */
final class ListSource implements FrameSource {
    private final Iterator<PositionFrame> it;
    private final FeedProblems problems;
    boolean closed;

    ListSource(List<PositionFrame> frames, FeedProblems problems) {
        List<PositionFrame> copies = new ArrayList<>();
        frames.forEach(f -> copies.add(PositionFrame.newBuilder(f).build()));
        this.it = copies.iterator();
        this.problems = problems;
    }

    static PositionFrame frame(String scene, long index, long timeMs, double rate) {
        return new PositionFrame(scene, SourceKind.CSV, index, timeMs, rate,
                new CoordinateSystem("unit", "corner", 2, null),
                List.of(new Agent("a", null, null, (double) index, 0.0, null, null, null, null)), null, null);
    }

    @Override
    public boolean hasNext() {
        return it.hasNext();
    }

    @Override
    public PositionFrame next() {
        return it.next();
    }

    @Override
    public FeedProblems problems() {
        return problems;
    }

    @Override
    public String description() {
        return "list";
    }

    @Override
    public void close() {
        closed = true;
    }
}
