package dev.nristream.cli;

import dev.nristream.feed.FeedProblems;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.replay.FrameSink;
import dev.nristream.replay.FrameSourceFactory;
import dev.nristream.replay.JsonLinesSink;
import dev.nristream.replay.KafkaFrameSink;
import dev.nristream.replay.ProducerSettings;
import dev.nristream.replay.ProgressLine;
import dev.nristream.replay.Replay;
import dev.nristream.replay.ReplaySummary;
import dev.nristream.replay.SinkException;
import dev.nristream.replay.Speed;
import dev.nristream.topic.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

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
        FrameSink sink = flags.print
                ? new JsonLinesSink(spec.commandLine().getOut(), live)
                : KafkaFrameSink.create(flags.producerSettings(), flags.clientConfig().registry(flags.registry),
                        Topics.POSITIONS, flags.topic);
        Replay replay = Replay.builder()
                .setSource(feed)
                .setSink(sink)
                .withSpeed(speed)
                .withLoop(flags.loop && !live)
                .withSceneOverride(flags.scene)
                .withMaxFrames(flags.maxFrames)
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
        } catch (SinkException e) {
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
            UsableInput.require(summary.source(), summary.frames(), problems, flags.allowPartial);
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running and waits for us.
        }
    }
}
