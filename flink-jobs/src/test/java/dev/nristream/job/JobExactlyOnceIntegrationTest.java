package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.job.window.FailureInjector;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A failure injected mid-stream, after output has been committed: the job restores from its last checkpoint and a
 * read_committed consumer then finds every window's graph and forecast exactly once.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobExactlyOnceIntegrationTest {

    static final int SCENES = 4;
    static final int FRAMES = 100;
    static final int STRIDE = 5;

    /** Fails the first window after it is armed, once. Static: the job's copies run in this JVM. */
    static final class FailOnceWhenArmed implements FailureInjector {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public void beforeWindow(WindowTask task) {
            if (ARMED.compareAndSet(true, false)) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure before window " + task.sceneId + "@" + task.endFrame);
            }
        }
    }

    static Set<Long> expectedEnds() {
        Set<Long> s = new TreeSet<>();
        for (long end = 48; end < FRAMES; end += STRIDE) {
            s.add(end);
        }
        return s;
    }

    @Test
    void restoreAfterAFailureLosesAndDuplicatesNothing() throws Exception {
        TestTopics topics = TestTopics.create("eos", 2);
        List<List<PositionFrame>> scenes = new ArrayList<>();
        for (int s = 0; s < SCENES; s++) {
            scenes.add(StreamTestKit.springsScene("eos-" + s, 5, FRAMES, 40 + s));
        }
        JobConfig cfg = StreamTestKit.config(topics, StreamTestKit.goldenModel(), "eos")
                .set(JobConfig.BOUNDED, false).set(JobConfig.STRIDE, STRIDE)
                .set(JobConfig.CHECKPOINT_INTERVAL_MS, 200L).set(JobConfig.RESTART_DELAY_MS, 200L)
                .build();
        JobClient job = NriStreamJob.fromConfig(cfg).withFailureInjector(new FailOnceWhenArmed())
                .executeAsync(FlinkMiniCluster.environment(2));
        try {
            // Phase 1: the first windows of every scene are committed.
            StreamTestKit.send(topics.positions(), frames(scenes, 0, 70));
            awaitGraphs(topics, SCENES * 5); // ends 48, 53, 58, 63, 68
            // Phase 2: the next window fails the job once; it restores and carries on.
            FailOnceWhenArmed.ARMED.set(true);
            StreamTestKit.send(topics.positions(), frames(scenes, 70, FRAMES));
            awaitGraphs(topics, SCENES * expectedEnds().size());
            assertThat(FailOnceWhenArmed.FAILURES.get()).as("injected failures").isEqualTo(1);
        } finally {
            job.cancel().get();
        }

        List<InteractionGraph> graphs = values(StreamTestKit.readCommitted(topics.graphs(), InteractionGraph.class));
        List<TrajectoryForecast> forecasts = values(StreamTestKit.readCommitted(topics.forecasts(), TrajectoryForecast.class));
        for (int s = 0; s < SCENES; s++) {
            String scene = "eos-" + s;
            assertThat(ends(graphs, scene, InteractionGraph::getSceneId, InteractionGraph::getWindowEndFrame))
                    .as("graphs of " + scene).containsExactlyElementsOf(expectedEnds());
            assertThat(ends(forecasts, scene, TrajectoryForecast::getSceneId, TrajectoryForecast::getOriginFrame))
                    .as("forecasts of " + scene).containsExactlyElementsOf(expectedEnds());
        }
        assertThat(StreamTestKit.readCommitted(topics.dlq(), DeadLetter.class)).isEmpty();
    }

    static List<PositionFrame> frames(List<List<PositionFrame>> scenes, int from, int to) {
        List<PositionFrame> out = new ArrayList<>();
        for (int k = from; k < to; k++) {
            for (List<PositionFrame> s : scenes) {
                out.add(s.get(k));
            }
        }
        return out;
    }

    static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }

    /** End frames in arrival order, sorted: a duplicate would show up twice. */
    static <V> List<Long> ends(List<V> records, String scene, Function<V, String> sceneOf, Function<V, Long> endOf) {
        return records.stream().filter(r -> sceneOf.apply(r).equals(scene)).map(endOf).sorted()
                .collect(Collectors.toList());
    }

    static void awaitGraphs(TestTopics topics, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        int seen = 0;
        while (System.currentTimeMillis() < deadline) {
            seen = StreamTestKit.readCommitted(topics.graphs(), InteractionGraph.class).size();
            if (seen >= count) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("expected " + count + " committed graphs within 60 s, saw " + seen);
    }
}
