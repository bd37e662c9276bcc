package dev.nristream.sim;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Scenes {@code start, start + 1, ...} of one run, simulated one at a time on the calling thread; endless.
 *
 * <pre>{@code
 * SceneStream scenes = Simulators.forConfig(cfg).scenes(42);
 * Scene first = scenes.next();
 * scenes.stream().limit(10).forEach(...);
 * }</pre>
 */
public final class SceneStream implements Iterator<Scene>, Iterable<Scene> {
    private final Simulator simulator;
    private final long runSeed;
    private long nextIndex;

    public SceneStream(Simulator simulator, long runSeed, long startIndex) {
        this.simulator = simulator;
        this.runSeed = runSeed;
        this.nextIndex = startIndex;
    }

    /** Index of the scene {@link #next()} returns. */
    public long nextIndex() {
        return nextIndex;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Scene next() {
        return simulator.simulate(runSeed, nextIndex++);
    }

    @Override
    public Iterator<Scene> iterator() {
        return this;
    }

    /** The remaining scenes as a sequential, endless stream. */
    public Stream<Scene> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }
}
