package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.ModelControl;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.job.window.FailureInjector;
import dev.nristream.model.ModelDirectory;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.TopicSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Model hot swap (issue 15) on the MiniCluster with the real broker and registry: a running job serving the golden
 * springs model is asked on its model-control topic to serve a 3D model (refused: the old model keeps serving),
 * then the shipped springs5 (swapped in), then a directory that does not exist (refused); then a task fails once
 * and the job restores. Read read_committed, every (scene, window) is there once, and each scene's model id
 * switches from the old model to the new at a window boundary, and never back.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobModelSwapIntegrationTest {

    static final int SCENES = 3;
    static final int FRAMES = 120;

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

    @Test
    void swapsAtAWindowBoundaryExactlyOnceAndRefusesAModelThatDoesNotFit() throws Exception {
        TestTopics topics = TestTopics.create("swap", 2);
        String control = "swap.model-control";
        RealServices.createTopics(1, control);
        Path oldModel = StreamTestKit.goldenModel();
        Path newModel = Path.of("..", "models", "springs5").toAbsolutePath().normalize();
        Path mocap = JobMultiModelIntegrationTest.mocapModel();
        String oldId = ModelDirectory.open(oldModel).spec().modelId();
        String newId = ModelDirectory.open(newModel).spec().modelId();
        List<List<PositionFrame>> scenes = new ArrayList<>();
        for (int s = 0; s < SCENES; s++) {
            scenes.add(StreamTestKit.springsScene("swap-" + s, 5, FRAMES, 60 + s));
        }
        JobConfig cfg = StreamTestKit.config(topics, oldModel, "swap")
                .set(JobConfig.BOUNDED, false).set(JobConfig.STRIDE, 10)
                .set(JobConfig.MODEL_CONTROL_TOPIC, control)
                .set(JobConfig.CHECKPOINT_INTERVAL_MS, 200L).set(JobConfig.RESTART_DELAY_MS, 200L)
                .set(JobConfig.PARALLELISM, 2).build();
        JobClient job = NriStreamJob.fromConfig(cfg).withFailureInjector(new FailOnceWhenArmed())
                .executeAsync(FlinkMiniCluster.environment(2));
        try (KafkaProducer<String, ModelControl> requests = controlProducer(control)) {
            StreamTestKit.sendChecked(topics.positions(), JobExactlyOnceIntegrationTest.frames(scenes, 0, 70));
            RegistryOutageIntegrationTest.awaitGraphs(topics, SCENES * 3, job); // ends 48, 58, 68

            // A 3D model for the 2D springs scenes: refused, the old model keeps serving.
            request(requests, control, mocap.toString(), oldId);
            RegistryOutageIntegrationTest.awaitCommitted(topics.dlq(), 1, job);
            StreamTestKit.sendChecked(topics.positions(), JobExactlyOnceIntegrationTest.frames(scenes, 70, 90));
            RegistryOutageIntegrationTest.awaitGraphs(topics, SCENES * 5, job); // 78, 88

            // The new springs model (it replaces the one model of its system and dimensions), then a bad request:
            // its dead letter shows the swap before it was taken.
            request(requests, control, newModel.toString(), null);
            request(requests, control, newModel.resolveSibling("no-such-model").toString(), null);
            RegistryOutageIntegrationTest.awaitCommitted(topics.dlq(), 2, job);
            FailOnceWhenArmed.ARMED.set(true);
            StreamTestKit.sendChecked(topics.positions(), JobExactlyOnceIntegrationTest.frames(scenes, 90, FRAMES));
            RegistryOutageIntegrationTest.awaitGraphs(topics, SCENES * 8, job); // up to 118
            assertThat(FailOnceWhenArmed.FAILURES.get()).as("injected failures").isEqualTo(1);
        } finally {
            job.cancel().get();
        }

        List<InteractionGraph> graphs = JobExactlyOnceIntegrationTest.values(
                StreamTestKit.readCommitted(topics.graphs(), InteractionGraph.class));
        List<TrajectoryForecast> forecasts = JobExactlyOnceIntegrationTest.values(
                StreamTestKit.readCommitted(topics.forecasts(), TrajectoryForecast.class));
        List<Long> expected = List.of(48L, 58L, 68L, 78L, 88L, 98L, 108L, 118L);
        for (int s = 0; s < SCENES; s++) {
            String scene = "swap-" + s;
            assertThat(JobExactlyOnceIntegrationTest.ends(graphs, scene, InteractionGraph::getSceneId,
                    InteractionGraph::getWindowEndFrame)).as("graphs of " + scene).isEqualTo(expected);
            assertThat(JobExactlyOnceIntegrationTest.ends(forecasts, scene, TrajectoryForecast::getSceneId,
                    TrajectoryForecast::getOriginFrame)).as("forecasts of " + scene).isEqualTo(expected);
            List<String> ids = graphs.stream().filter(g -> g.getSceneId().equals(scene))
                    .sorted((a, b) -> Long.compare(a.getWindowEndFrame(), b.getWindowEndFrame()))
                    .map(InteractionGraph::getModelId).toList();
            assertThat(ids).as("model ids of " + scene + " by window")
                    .containsExactly(oldId, oldId, oldId, oldId, oldId, newId, newId, newId);
            forecasts.stream().filter(f -> f.getSceneId().equals(scene)).forEach(f -> assertThat(f.getModelId())
                    .as("forecast at " + f.getOriginFrame()).isEqualTo(f.getOriginFrame() <= 88 ? oldId : newId));
        }

        List<DeadLetter> refused = JobExactlyOnceIntegrationTest.values(
                StreamTestKit.readCommitted(topics.dlq(), DeadLetter.class));
        assertThat(refused).hasSize(2).allSatisfy(d -> {
            assertThat(d.getErrorKind()).isEqualTo(DeadLetterKind.MODEL_REFUSED.name());
            assertThat(d.getSourceTopic()).isEqualTo(control);
        });
        assertThat(refused.get(0).getReason()).contains("golden-random-mocap3d").contains("cannot replace " + oldId)
                .contains("system mocap is not springs").contains("3D is not 2D").contains("window_length 20 is not 49");
        assertThat(refused.get(1).getReason()).contains("cannot serve model directory")
                .contains("no-such-model");
    }

    static KafkaProducer<String, ModelControl> controlProducer(String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), RegistrySerdes.valueSerializer(
                new TopicSpec<>(topic, String.class, ModelControl.class), RealServices.registryConfig()));
    }

    static void request(KafkaProducer<String, ModelControl> p, String topic, String dir, String replaces)
            throws Exception {
        p.send(new ProducerRecord<>(topic, replaces == null ? "any" : replaces, ModelControl.newBuilder()
                .setModelDir(dir).setReplaces(replaces).setRequestedBy("JobModelSwapIntegrationTest")
                .setTimeMs(System.currentTimeMillis()).build())).get();
    }
}
