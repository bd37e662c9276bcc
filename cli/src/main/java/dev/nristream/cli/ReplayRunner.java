package dev.nristream.cli;

import dev.nristream.feed.FeedProblems;
import dev.nristream.replay.FrameSink;
import dev.nristream.replay.FrameSourceFactory;
import dev.nristream.replay.JsonLinesSink;
import dev.nristream.replay.KafkaFrameSink;
import dev.nristream.replay.ProgressLine;
import dev.nristream.replay.Replay;
import dev.nristream.replay.ReplayState;
import dev.nristream.replay.ReplaySummary;
import dev.nristream.replay.SinkException;
import dev.nristream.replay.Speed;
import dev.nristream.replay.TransactionalFrameSink;
import dev.nristream.topic.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** Runs a replay for a command: sink from the flags, Ctrl-C handling, summary on stderr. */
final class ReplayRunner {

    private ReplayRunner() {
    }

    /**
     * @param live a live feed: never paced (frames arrive in real time already), JSON lines flushed per frame
     */
    static int run(CommandSpec spec, ReplayFlags flags, FrameSourceFactory feed, boolean live) throws IOException {
        Speed speed = live ? Speed.MAX : flags.parsedSpeed();
        PrintWriter err = spec.commandLine().getErr();
        FeedProblems problems = FeedProblems.printingTo(line -> {
            err.println(line);
            err.flush();
        });
        long start = 0;
        FrameSink sink;
        if (flags.state != null) {
            TransactionalFrameSink resumable = resumableSink(spec, flags, live);
            start = resumable.committedPosition();
            if (flags.resume) {
                err.println("replay: resuming after " + start + " frames committed by earlier runs");
                err.flush();
            }
            sink = resumable;
        } else if (flags.resume) {
            throw new UserError("--resume needs --state FILE, the state file of the replay to continue");
        } else {
            sink = flags.print
                    ? new JsonLinesSink(spec.commandLine().getOut(), live)
                    : KafkaFrameSink.create(flags.producerSettings(),
                            flags.clientConfig().registry(flags.registry), Topics.POSITIONS, flags.topic);
        }
        Replay.Builder builder = Replay.builder();
        if (!live && flags.clock == ReplayFlags.Clock.replay) {
            // A live feed's times are already the present; a recording's are moved there (ReplayClock says why): from
            // its first frame's send, or, for a resumable replay, from the origin its state file keeps.
            if (flags.state != null) {
                builder.withTimelineFrom(flags.originEpochMs());
            } else {
                builder.withTimelineFromFirstFrame();
            }
        }
        Replay replay = builder
                .setSource(feed)
                .setSink(sink)
                .withSpeed(speed)
                .withLoop(flags.loop && !live)
                .withSceneOverride(flags.scene)
                .withMaxFrames(flags.maxFrames)
                .withStartPosition(start)
                .withProblems(problems)
                .withProgress(ProgressLine.forStderr())
                .build();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            replay.stop();
            try {
                main.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nri-replay-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ReplaySummary summary;
        try {
            summary = replay.run();
        } catch (SinkException | java.io.UncheckedIOException e) {
            // UncheckedIOException: the state file could not be written (disk full, directory gone).
            throw new UserError(e.getMessage(), e);
        } finally {
            try {
                sink.close();
            } finally {
                removeHook(hook);
            }
        }
        err.println(summary.format());
        err.flush();
        if (!summary.stopped() && !live) {
            UsableInput.require(summary.source(), summary.frames() + summary.resumedAfter(), problems, flags.allowPartial);
        }
        return 0;
    }

    /** Options that change neither the frames nor their order, so a resume may change them. */
    private static final Set<String> NOT_PART_OF_THE_FEED = Set.of("--speed", "--max-frames", "--state", "--resume",
            "--bootstrap", "--registry", "--kafka-config", "--allow-partial", "--topic");

    /**
     * A new replay writes its state file before the first frame (a run killed before its first commit can still
     * be resumed); a resumed one must play the same feed to the same topic.
     */
    private static TransactionalFrameSink resumableSink(CommandSpec spec, ReplayFlags flags, boolean live)
            throws IOException {
        if (flags.print) {
            throw new UserError("--state keeps a position in Kafka; it does not go with --print");
        }
        if (live) {
            throw new UserError("--state: a live feed cannot be replayed again, so it cannot be resumed");
        }
        Path file = flags.state;
        String feed = feedKey(spec);
        ReplayState state;
        if (Files.exists(file)) {
            if (!flags.resume) {
                throw new UserError(file + " exists: pass --resume to continue that replay, or remove the file to "
                        + "start a new one");
            }
            state = ReplayState.read(file);
            if (!state.topic().equals(flags.topic)) {
                throw new UserError(file + " is a replay to topic " + state.topic() + ", not " + flags.topic);
            }
            if (!state.feed().equals(feed)) {
                throw new UserError(file + " is a replay of [" + state.feed() + "], not [" + feed + "]");
            }
        } else {
            if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
                throw new UserError("--state " + file + ": no directory " + file.getParent());
            }
            state = ReplayState.start(flags.topic, feed, flags.originEpochMs());
            try {
                state.write(file);
            } catch (java.io.UncheckedIOException e) {
                throw new UserError(e.getMessage(), e);
            }
        }
        ReplayState[] current = {state};
        try {
            return TransactionalFrameSink.open(flags.producerSettings(),
                    flags.clientConfig().registry(flags.registry), Topics.POSITIONS, flags.topic, state.replayId(),
                    TransactionalFrameSink.DEFAULT_COMMIT_INTERVAL, position -> {
                        current[0] = current[0].at(position);
                        current[0].write(file);
                    });
        } catch (SinkException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** The subcommand, its positional arguments and the options that shape the frames, in a stable order. */
    static String feedKey(CommandSpec spec) {
        ParseResult pr = spec.commandLine().getParseResult();
        List<String> parts = new ArrayList<>();
        for (OptionSpec o : pr.matchedOptions()) {
            if (!NOT_PART_OF_THE_FEED.contains(o.longestName())) {
                parts.add(o.longestName() + "=" + o.getValue());
            }
        }
        Collections.sort(parts);
        for (PositionalParamSpec p : pr.matchedPositionals()) {
            parts.add(String.valueOf((Object) p.getValue()));
        }
        parts.add(0, spec.name());
        return String.join(" ", parts);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running and waits for us.
        }
    }
}
