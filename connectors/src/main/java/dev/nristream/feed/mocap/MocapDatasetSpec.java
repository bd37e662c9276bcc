package dev.nristream.feed.mocap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@link MocapDataset} writes: which trials go to which split, the frame rate, the window the data is cut for
 * and the segment lengths. Defaults are the ones {@code models/README.md} trains {@code mocap35} with.
 *
 * <pre>{@code
 * MocapDatasetSpec spec = MocapDatasetSpec.builder()
 *         .setDataDir(Path.of("../shared/data/cmu-mocap/subject35"))
 *         .setOutDir(Path.of("/root/nri-data/mocap35"))
 *         .build();                                   // 30 Hz, 50-step windows, segments of 60 (test 81)
 * }</pre>
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>Rate {@value #DEFAULT_FPS} Hz (every 4th frame of the 120 Hz capture): a 50-frame window is then 1.67 s, a
 *       walking stride (two steps, ~1.1 s for this subject) and a half, so the encoder sees every joint go through
 *       a full gait cycle; at 120 Hz it would see 0.4 s, at 10 Hz 5 s and no trial is that long.
 *   <li>Trials are 253 to 497 frames (2.1 to 4.1 s) long, the layout wants one T per file: each trial is cut into
 *       overlapping segments of {@value #DEFAULT_SEGMENT} steps starting every {@code segment - window + 1} steps
 *       (the last segment ends at the trial's end). A training window drawn uniformly inside a segment
 *       ({@code --windows live}) then starts at every step of the trial with the same chance (the trial's tail a
 *       little more often), as a live replay may start anywhere.
 *   <li>Every phase of the subsampling is used: with 4 native frames per step, a trial is resampled from its
 *       frames 0, 1, 2 and 3, four series on the 30 Hz grid offset by 8.3 ms, as a replay starting at any frame
 *       gives. This quadruples a small data set (9 training trials) with real, not synthetic, frames.
 *   <li>Test segments are {@value #DEFAULT_SEGMENT_TEST} steps: the 50-step window, the true state the rollout
 *       starts from and the 30 steps the issue scores forecasts over ({@code ./nri evaluate --horizon 30}). A trial (phase) shorter than a segment gives none and is listed as skipped.
 * </ul>
 */
public final class MocapDatasetSpec {
    public static final int DEFAULT_FPS = 30;
    public static final int DEFAULT_WINDOW = 50;
    public static final int DEFAULT_SEGMENT = 60;
    public static final int DEFAULT_SEGMENT_TEST = 81;
    /** The split of subject 35's trials in the data README (after the public dynamic-NRI code). */
    public static final String DEFAULT_TRAIN = "01,02,05,07-12";
    public static final String DEFAULT_VALID = "13-16";
    public static final String DEFAULT_TEST = "28-34";

    private final Path dataDir;
    private final Path outDir;
    private final int fps;
    private final int window;
    private final int segment;
    private final int segmentTest;
    private final Map<String, List<String>> splits;
    private final String suffix;

    private final Path asf;

    private MocapDatasetSpec(Builder b, Path asf, Map<String, List<String>> splits, String suffix) {
        this.asf = asf;
        this.dataDir = b.dataDir;
        this.outDir = b.outDir;
        this.fps = b.fps;
        this.window = b.window;
        this.segment = b.segment;
        this.segmentTest = b.segmentTest;
        this.splits = splits;
        this.suffix = suffix;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Folder with one {@code <subject>.asf} and the {@code <subject>_NN.amc} trials. */
    public Path dataDir() {
        return dataDir;
    }

    /** The skeleton file, the one {@code .asf} in the data directory. */
    public Path asf() {
        return asf;
    }

    /** The subject's name, the ASF file's ("35"). */
    public String subject() {
        String f = asf.getFileName().toString();
        return f.substring(0, f.length() - ".asf".length());
    }

    /** The AMC file of a trial: {@code <subject>_<trial>.amc} in the data directory. */
    public Path amc(String trial) {
        return dataDir.resolve(subject() + "_" + trial + ".amc");
    }

    public Path outDir() {
        return outDir;
    }

    /** Frames per second of the written states (a divisor of 120). */
    public int fps() {
        return fps;
    }

    /** Native frames per written step. */
    public int stride() {
        return MocapOptions.NATIVE_FPS / fps;
    }

    public double samplingRateHz() {
        return (double) MocapOptions.NATIVE_FPS / stride();
    }

    /** The encoder window the segments are cut for. */
    public int window() {
        return window;
    }

    /** Steps per segment of a split. */
    public int segment(String split) {
        return "test".equals(split) ? segmentTest : segment;
    }

    /**
     * Steps between segment starts in a split: {@code segment - window + 1}, so the windows inside consecutive
     * segments tile the trial.
     */
    public int hop(String split) {
        return segment(split) - window + 1;
    }

    /** Trial numbers ("01", "13") per split, in the order train, valid, test. */
    public Map<String, List<String>> splits() {
        return splits;
    }

    /** File suffix, e.g. {@code _mocap35}. */
    public String suffix() {
        return suffix;
    }

    /**
     * Parses a trial list such as {@code 01,02,05,07-12} into two-digit trial numbers.
     *
     * @throws IllegalArgumentException naming the bad item
     */
    public static List<String> parseTrials(String list) {
        List<String> out = new ArrayList<>();
        for (String item : list.split(",")) {
            String s = item.strip();
            try {
                int dash = s.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1).strip());
                if (from < 1 || to < from || to > 99) {
                    throw new NumberFormatException();
                }
                for (int t = from; t <= to; t++) {
                    out.add(String.format(Locale.ROOT, "%02d", t));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad trial '" + s + "' in '" + list + "': expected numbers 1-99 "
                        + "or ranges like 07-12, separated by commas");
            }
        }
        return out;
    }

    /** Required: {@code setDataDir}, {@code setOutDir}. */
    public static final class Builder {
        private Path dataDir;
        private Path outDir;
        private int fps = DEFAULT_FPS;
        private int window = DEFAULT_WINDOW;
        private int segment = DEFAULT_SEGMENT;
        private int segmentTest = DEFAULT_SEGMENT_TEST;
        private String train = DEFAULT_TRAIN;
        private String valid = DEFAULT_VALID;
        private String test = DEFAULT_TEST;
        private String suffix;

        private Builder() {
        }

        public Builder setDataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder setOutDir(Path dir) {
            this.outDir = dir;
            return this;
        }

        /** Output rate, a divisor of 120 (default 30). */
        public Builder optFps(int v) {
            this.fps = v;
            return this;
        }

        /** Encoder window the segments are cut for (default 50). */
        public Builder optWindow(int v) {
            this.window = v;
            return this;
        }

        /** Steps per train and valid segment (default 60). */
        public Builder optSegment(int v) {
            this.segment = v;
            return this;
        }

        /** Steps per test segment (default 81: the window, the rollout's first state and 30 forecast steps). */
        public Builder optSegmentTest(int v) {
            this.segmentTest = v;
            return this;
        }

        /** Trial lists such as {@code 01,02,05,07-12} (defaults: the data README's split). */
        public Builder optTrials(String trainTrials, String validTrials, String testTrials) {
            this.train = trainTrials;
            this.valid = validTrials;
            this.test = testTrials;
            return this;
        }

        /** File suffix (default {@code _mocap<subject>}, e.g. {@code _mocap35}). */
        public Builder optSuffix(String s) {
            this.suffix = s;
            return this;
        }

        /**
         * Checks every setting.
         *
         * @throws IllegalArgumentException naming what is missing or invalid
         */
        public MocapDatasetSpec build() {
            if (dataDir == null) {
                throw new IllegalArgumentException("mocap dataset: data directory is not set (setDataDir)");
            }
            if (outDir == null) {
                throw new IllegalArgumentException("mocap dataset: output directory is not set (setOutDir)");
            }
            if (fps <= 0 || MocapOptions.NATIVE_FPS % fps != 0) {
                throw new IllegalArgumentException("fps must divide " + MocapOptions.NATIVE_FPS + " and be positive "
                        + "(1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 40, 60 or 120), got " + fps);
            }
            if (window < 2) {
                throw new IllegalArgumentException("window must be at least 2 steps, got " + window);
            }
            if (segment < window || segmentTest < window) {
                throw new IllegalArgumentException("segments (" + segment + ", test " + segmentTest
                        + ") must be at least as long as the " + window + "-step window");
            }
            if (suffix != null && (suffix.contains("/") || suffix.contains("\\"))) {
                throw new IllegalArgumentException("suffix must not contain a path separator: '" + suffix + "'");
            }
            Map<String, List<String>> splits = new LinkedHashMap<>();
            splits.put("train", parseTrials(train));
            splits.put("valid", parseTrials(valid));
            splits.put("test", parseTrials(test));
            Set<String> seen = new LinkedHashSet<>();
            for (Map.Entry<String, List<String>> e : splits.entrySet()) {
                for (String t : e.getValue()) {
                    if (!seen.add(t)) {
                        throw new IllegalArgumentException("trial " + t + " is listed twice (again in " + e.getKey()
                                + "): a trial belongs to one split only, or windows of one walk leak into another "
                                + "split");
                    }
                }
            }
            Path skeleton = findAsf(dataDir);
            String subject = skeleton.getFileName().toString().replaceFirst("\\.asf$", "");
            return new MocapDatasetSpec(this, skeleton, splits, suffix != null ? suffix : "_mocap" + subject);
        }

        private static Path findAsf(Path dir) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("data directory " + dir + " does not exist (expected a folder "
                        + "with one <subject>.asf and its <subject>_NN.amc trials)");
            }
            List<Path> asfs;
            try (Stream<Path> s = Files.list(dir)) {
                asfs = s.filter(p -> p.getFileName().toString().endsWith(".asf")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
            if (asfs.size() != 1) {
                throw new IllegalArgumentException("data directory " + dir + " holds " + asfs.size() + " .asf files "
                        + asfs.stream().map(p -> p.getFileName().toString()).toList() + "; expected exactly one "
                        + "skeleton (<subject>.asf)");
            }
            return asfs.get(0);
        }
    }
}
