package dev.nristream.replay;

import dev.nristream.feed.csv.CsvFrameSource;
import dev.nristream.feed.csv.CsvOptions;
import dev.nristream.feed.mocap.AsfSkeleton;
import dev.nristream.feed.mocap.MocapFrameSource;
import dev.nristream.feed.mocap.MocapOptions;
import dev.nristream.feed.sim.SimulatedFeed;
import dev.nristream.feed.sportvu.SportVuGameReader;
import dev.nristream.sim.SimConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Opens each kind of feed for a {@link Replay}, checking up front that its files exist and can be read so a typo
 * fails before the producer starts.
 *
 * <pre>{@code
 * FrameSourceFactory mocap = Feeds.mocapDirectory(Path.of("subject35"), MocapOptions.defaults());
 * FrameSourceFactory game = Feeds.sportVu(List.of(Path.of("0021500659.json")));
 * }</pre>
 */
public final class Feeds {

    private Feeds() {
    }

    /** CMU trials sharing one skeleton, played one after another. */
    public static FrameSourceFactory mocap(Path asf, List<Path> amcs, MocapOptions options) throws IOException {
        requireFile(asf);
        if (amcs.isEmpty()) {
            throw new IllegalArgumentException("no AMC file given");
        }
        for (Path p : amcs) {
            requireFile(p);
        }
        if (options.sceneId() != null && amcs.size() > 1) {
            throw new IllegalArgumentException("one scene id for " + amcs.size()
                    + " trials would mix them; use --scene with a single --amc");
        }
        AsfSkeleton skeleton = AsfSkeleton.parse(asf);
        List<FrameSourceFactory> parts = new ArrayList<>();
        for (Path amc : amcs) {
            parts.add(problems -> MocapFrameSource.open(skeleton, amc, options, problems));
        }
        String name = amcs.size() == 1 ? amcs.get(0).toString() : amcs.size() + " CMU trials";
        return problems -> new ConcatSource(parts, problems, name);
    }

    /** Every {@code *.amc} of a directory (sorted by name) with the directory's single {@code *.asf}. */
    public static FrameSourceFactory mocapDirectory(Path dir, MocapOptions options) throws IOException {
        requireDirectory(dir);
        List<Path> asfs = list(dir, ".asf");
        if (asfs.size() != 1) {
            throw new IllegalArgumentException(dir + ": expected exactly one .asf file, found " + asfs.size()
                    + (asfs.isEmpty() ? "" : " " + asfs) + "; pass --asf");
        }
        List<Path> amcs = list(dir, ".amc");
        if (amcs.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no .amc files");
        }
        return mocap(asfs.get(0), amcs, options);
    }

    /** SportVU game files, one after another. */
    public static FrameSourceFactory sportVu(List<Path> games) throws IOException {
        if (games.isEmpty()) {
            throw new IllegalArgumentException("no SportVU game file given");
        }
        for (Path p : games) {
            requireFile(p);
        }
        List<FrameSourceFactory> parts = new ArrayList<>();
        for (Path g : games) {
            parts.add(problems -> SportVuGameReader.open(g, problems));
        }
        String name = games.size() == 1 ? games.get(0).toString() : games.size() + " SportVU games";
        return problems -> new ConcatSource(parts, problems, name);
    }

    /** A positions CSV. */
    public static FrameSourceFactory csv(Path file, CsvOptions options) throws IOException {
        requireFile(file);
        // Open once now so a bad column mapping fails before anything is sent.
        CsvFrameSource.open(file, options, dev.nristream.feed.FeedProblems.silent()).close();
        return problems -> CsvFrameSource.open(file, options, problems);
    }

    /**
     * K simulated scenes; every pass restarts the same scenes (same seed), so {@code --loop} replays them.
     *
     * @param framesPerScene frames per scene, {@code <= 0} for endless
     */
    public static FrameSourceFactory simulated(SimConfig cfg, int scenes, long seed, long framesPerScene) {
        return simulated(cfg, scenes, seed, framesPerScene, System.currentTimeMillis());
    }

    /**
     * As {@link #simulated(SimConfig, int, long, long)}, time zero at {@code originEpochMs} (a resumed replay passes
     * its first run's, so the frames it sends carry the times the first run would have given them).
     */
    public static FrameSourceFactory simulated(SimConfig cfg, int scenes, long seed, long framesPerScene,
            long originEpochMs) {
        if (scenes < 1) {
            throw new IllegalArgumentException("scenes must be at least 1, got " + scenes);
        }
        return problems -> new SimulatedFeed(cfg, scenes, seed, framesPerScene, originEpochMs);
    }

    /**
     * @throws NoSuchFileException when missing
     * @throws IllegalArgumentException when a directory or unreadable
     */
    static void requireFile(Path p) throws NoSuchFileException {
        if (!Files.exists(p)) {
            throw new NoSuchFileException(p.toString());
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + " is not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException("cannot read " + p + " (permission denied)");
        }
    }

    static void requireDirectory(Path p) throws NoSuchFileException {
        if (!Files.exists(p)) {
            throw new NoSuchFileException(p.toString());
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(p + " is not a directory");
        }
        if (!Files.isReadable(p) || !Files.isExecutable(p)) {
            throw new IllegalArgumentException("cannot read directory " + p + " (permission denied)");
        }
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(suffix))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
