package dev.nristream.bench;

import dev.nristream.avro.PositionFrame;
import dev.nristream.embedded.LocalServices;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.mocap.MocapOptions;
import dev.nristream.feed.sportvu.SyntheticSportVu;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.topic.Topics;
import dev.nristream.replay.Feeds;
import dev.nristream.replay.FrameSink;
import dev.nristream.replay.FrameSourceFactory;
import dev.nristream.replay.KafkaFrameSink;
import dev.nristream.replay.ProducerSettings;
import dev.nristream.replay.Replay;
import dev.nristream.replay.ReplaySummary;
import dev.nristream.replay.Speed;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replay throughput from file to a broker at {@code --speed max}: SportVU-sized frames (11 agents, a synthetic game
 * file in the documented format, with overlapping events) and CMU mocap frames (31 joints, the real subject 35
 * trials, looped). Each feed is measured twice: parsing alone (a sink that drops frames) and the full path through
 * the registry serde and an idempotent lz4 producer into an embedded KRaft broker, until every frame is acknowledged.
 * A warm-up run of each feed precedes the measurement. Besides wall-clock frames/s it reports frames per CPU-second
 * of the whole process (broker included) and of the replay thread alone, the steadier numbers on a shared machine.
 * Not a test: run it with {@code ./nri bench replay}.
 */
public final class ReplayBenchmark {

    /**
     * @param sportVuMoments distinct moments in the synthetic game
     * @param mocapFrames mocap frames to replay (the 20 trials hold about 8,000; they loop)
     * @param mocapDir directory with 35.asf and the AMC trials
     * @param partitions partitions of each benchmark topic
     */
    public record Options(int sportVuMoments, long mocapFrames, Path mocapDir, int partitions) {
    }

    /**
     * One measurement.
     *
     * @param feed "sportvu" or "mocap"
     * @param path "parse only" or "to broker"
     */
    public record Result(String feed, String path, int agents, long frames, double seconds, double cpuSeconds,
            double replayThreadCpuSeconds) {
        public double framesPerSecond() {
            return frames / seconds;
        }

        /** Frames per CPU-second of the whole process (feed, serde, producer and broker threads together). */
        public double framesPerCpuSecond() {
            return frames / cpuSeconds;
        }

        /**
         * Frames per CPU-second of the replay thread alone (parse, serialise, compress into batches): the rate the
         * replay reaches when that thread has a core to itself and the rest of the process fits on the others.
         */
        public double framesPerReplayThreadCpuSecond() {
            return frames / replayThreadCpuSeconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-8s %-11s %2d %,9d %7.2f %7.2f %7.2f %,9.0f %,11.0f %,11.0f", feed,
                    path, agents, frames, seconds, cpuSeconds, replayThreadCpuSeconds, framesPerSecond(),
                    framesPerCpuSecond(), framesPerReplayThreadCpuSecond());
        }
    }

    /** Column titles for {@link Result#toString()}. */
    public static final String HEADER = String.format(Locale.ROOT, "%-8s %-11s %2s %9s %7s %7s %7s %9s %11s %11s",
            "feed", "path", "N", "frames", "wall s", "cpu s", "main s", "frames/s", "per cpu-s", "per main-s");

    private final Options options;
    private final PrintStream log;

    public ReplayBenchmark(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /** Starts the broker and registry, runs every measurement, stops them. */
    public List<Result> run() throws IOException {
        Path tmp = Files.createTempDirectory("nri-bench-");
        Path game = tmp.resolve("synthetic_game.json");
        try {
            int periods = 4;
            long moments = SyntheticSportVu.writeGame(game, "0029900099", periods, options.sportVuMoments() / periods,
                    150, 50, 1_453_590_000_000L);
            log.printf(Locale.ROOT, "bench: synthetic SportVU game %s: %,d distinct moments, %,d bytes%n", game, moments,
                    Files.size(game));
            FrameSourceFactory sportvu = Feeds.sportVu(List.of(game));
            FrameSourceFactory mocap = Feeds.mocapDirectory(options.mocapDir(), MocapOptions.defaults());

            log.println("bench: starting the embedded broker and registry...");
            try (LocalServices services = LocalServices.builder().start()) {
                RegistryConfig reg = services.registryConfig();
                ProducerSettings settings = ProducerSettings.defaults(services.bootstrapServers());
                services.createTopics(options.partitions(), "bench.warmup", "bench.sportvu", "bench.mocap");
                List<Result> results = new ArrayList<>();
                // Warm-up: JIT, registry schema registration, producer metadata.
                measure("warmup", "to broker", sportvu, kafkaSink(settings, reg, "bench.warmup"), 0, false);
                measure("warmup", "to broker", mocap, kafkaSink(settings, reg, "bench.warmup"), 20_000, true);
                results.add(measure("sportvu", "parse only", sportvu, new DiscardSink(), 0, false));
                results.add(measure("sportvu", "to broker", sportvu, kafkaSink(settings, reg, "bench.sportvu"), 0,
                        false));
                results.add(measure("mocap", "parse only", mocap, new DiscardSink(), options.mocapFrames(), true));
                results.add(measure("mocap", "to broker", mocap, kafkaSink(settings, reg, "bench.mocap"),
                        options.mocapFrames(), true));
                return results;
            }
        } finally {
            Files.deleteIfExists(game);
            Files.deleteIfExists(tmp);
        }
    }

    private static KafkaFrameSink kafkaSink(ProducerSettings settings, RegistryConfig reg, String topic) {
        return KafkaFrameSink.create(settings, reg, Topics.POSITIONS, topic);
    }

    private Result measure(String feed, String path, FrameSourceFactory source, FrameSink sink, long maxFrames,
            boolean loop) throws IOException {
        int[] agents = new int[1];
        FrameSink counting = new FrameSink() {
            @Override
            public void accept(PositionFrame frame) {
                agents[0] = frame.getAgents().size();
                sink.accept(frame);
            }

            @Override
            public void flush() {
                sink.flush();
            }

            @Override
            public void checkHealthy() {
                sink.checkHealthy();
            }

            @Override
            public long delivered() {
                return sink.delivered();
            }

            @Override
            public String describe() {
                return sink.describe();
            }

            @Override
            public void close() {
                sink.close();
            }
        };
        ReplaySummary s;
        long cpu0 = processCpuNanos();
        long thread0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        try (counting) {
            s = Replay.builder().setSource(source).setSink(counting).withSpeed(Speed.MAX).withLoop(loop)
                    .withMaxFrames(maxFrames).withProblems(FeedProblems.silent()).build().run();
        }
        if (s.delivered() != s.frames()) {
            throw new IllegalStateException(feed + ": " + s.delivered() + " of " + s.frames() + " frames delivered");
        }
        long cpu = processCpuNanos() - cpu0;
        long thread = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - thread0;
        Result r = new Result(feed, path, agents[0], s.frames(), s.elapsedNanos() / 1e9, cpu / 1e9, thread / 1e9);
        log.println("bench: " + r);
        return r;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** Drops frames: measures the feed alone. */
    private static final class DiscardSink implements FrameSink {
        private long n;
        private double sink;

        @Override
        public void accept(PositionFrame frame) {
            n++;
            sink += frame.getAgents().get(0).getX();
        }

        @Override
        public void flush() {
        }

        @Override
        public long delivered() {
            return n;
        }

        @Override
        public String describe() {
            return "discard (" + (sink == 0 ? 0 : 1) + ")";
        }

        @Override
        public void close() {
        }
    }
}
