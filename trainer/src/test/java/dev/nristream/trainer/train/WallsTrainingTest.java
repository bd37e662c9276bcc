package dev.nristream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.model.ReflectingWalls;
import dev.nristream.trainer.TestSupport;
import dev.nristream.trainer.model.NriConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decoder given the simulation's walls trains, keeps them in run.json (so a resume builds the same model), and
 * can start from another run's weights ({@link Trainer#initFrom}), but only from a run that scaled the data alike.
 */
class WallsTrainingTest {
    @TempDir
    Path tmp;

    private static TrainOptions options(Path data, Path out, ReflectingWalls walls, double lr) {
        return TrainOptions.defaults(data, TestSupport.suffix(5), out)
                .withModel(NriConfig.builder().hidden(16).timesteps(12).predictionSteps(3).skipFirst(true)
                        .graph(NriConfig.GraphKind.TRUE).walls(walls).build())
                .withEpochs(1).withBatchSize(10).withLearningRate(lr, 200, 0.5).withCommand("test", false);
    }

    @Test
    void aDecoderWithWallsStartsFromAnotherRunsWeightsAndKeepsItsWalls() throws Exception {
        Path data = TestSupport.springs(tmp.resolve("data"), 5, 20, 10, 2, 3);
        Path free = tmp.resolve("free");
        new Trainer(options(data, free, null, 5e-4)).run(false);

        // A learning rate of 1e-12 moves no weight by more than rounding: the run ends where it started.
        Path walled = tmp.resolve("walled");
        ReflectingWalls walls = new ReflectingWalls(5.0);
        new Trainer(options(data, walled, walls, 1e-12)).initFrom(free).run(false);
        assertThat(RunInfo.read(walled).model().walls()).isEqualTo(walls);
        Checkpoint from = Checkpoint.read(free.resolve(Trainer.BEST));
        Checkpoint to = Checkpoint.read(walled.resolve(Trainer.LAST));
        for (String name : new String[] {"dec.msg1.w", "dec.out3.w", "dec.out3.b"}) {
            assertThat(TrainingTest.maxAbsDiff(from.tensors().get(name).data(), to.tensors().get(name).data()))
                    .as(name).isLessThan(1e-6);
        }

        // Resuming rebuilds the model from run.json: walls and all.
        new Trainer(options(data, walled, walls, 1e-12).withEpochs(2)).run(true);
        assertThat(RunInfo.read(walled).model().walls()).isEqualTo(walls);

        // Other data, other scaling: the weights would read other inputs.
        Path other = TestSupport.springs(tmp.resolve("other"), 5, 20, 10, 2, 99);
        assertThatThrownBy(() -> new Trainer(options(other, tmp.resolve("mixed"), walls, 5e-4)).initFrom(free)
                .run(false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scaled its data");
    }

    @Test
    void aLearnedGraphModelStartsItsDecoderFromADecoderTrainedAlone() throws Exception {
        Path data = TestSupport.springs(tmp.resolve("data"), 5, 20, 10, 2, 3);
        Path decoderAlone = tmp.resolve("true-graph");
        new Trainer(options(data, decoderAlone, null, 5e-4)).run(false);
        assertThat(ModelCheckpoints.decoderOnly(Checkpoint.read(decoderAlone.resolve(Trainer.BEST)))).isTrue();

        // The learned-graph run's encoder is new; a rate of 1e-12 keeps the loaded decoder where it started.
        Path learned = tmp.resolve("learned");
        TrainOptions opts = options(data, learned, null, 1e-12);
        opts = opts.withModel(opts.model().toBuilder().graph(NriConfig.GraphKind.LEARNED).build());
        new Trainer(opts).initFrom(decoderAlone).run(false);
        Checkpoint from = Checkpoint.read(decoderAlone.resolve(Trainer.BEST));
        Checkpoint to = Checkpoint.read(learned.resolve(Trainer.LAST));
        assertThat(ModelCheckpoints.decoderOnly(to)).isFalse();
        for (String name : to.tensors().keySet()) {
            if (ModelCheckpoints.isDecoderTensor(name)) {
                assertThat(TrainingTest.maxAbsDiff(from.tensors().get(name).data(), to.tensors().get(name).data()))
                        .as(name).isLessThan(1e-6);
            }
        }
        assertThat(to.tensors()).containsKey("enc.out.w");

        // A decoder of another shape is refused by name.
        TrainOptions wide = options(data, tmp.resolve("wide"), null, 5e-4);
        TrainOptions wider = wide.withModel(wide.model().toBuilder().hidden(8).graph(NriConfig.GraphKind.LEARNED)
                .build());
        assertThatThrownBy(() -> new Trainer(wider).initFrom(decoderAlone).run(false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor dec.")
                .hasMessageContaining("but the checkpoint has");
    }

    @Test
    void clippedGradientsAreRecordedAndKeptAcrossAResume() throws Exception {
        Path data = TestSupport.springs(tmp.resolve("data"), 5, 20, 10, 2, 3);
        Path out = tmp.resolve("clipped");
        // A norm far below any real gradient's: every batch is clipped.
        TrainOptions opts = options(data, out, new ReflectingWalls(5.0), 5e-4).withClipGradNorm(1e-3);
        new Trainer(opts).run(false);
        assertThat(RunInfo.read(out).clipGradNorm()).isEqualTo(1e-3);
        var m = MetricsLog.read(out.resolve(Trainer.METRICS)).get(0);
        assertThat(((Number) m.get("train_clipped_batches")).doubleValue()).isEqualTo(2.0);
        assertThat(((Number) m.get("train_grad_norm_median")).doubleValue()).isGreaterThan(1e-3);
        new Trainer(TrainOptions.fromRun(RunInfo.read(out), out, 2, false)).run(true);
        assertThat(((Number) MetricsLog.read(out.resolve(Trainer.METRICS)).get(1).get("train_clipped_batches"))
                .doubleValue()).isEqualTo(2.0);
    }

    @Test
    void clippingScalesTheGradientsToTheNorm() {
        try (ai.djl.ndarray.NDManager m = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager()) {
            ai.djl.ndarray.NDArray w = m.create(new float[] {1f, 2f, 3f});
            w.setRequiresGradient(true);
            try (Adam adam = new Adam(m, java.util.Map.of("w", w))) {
                try (ai.djl.training.GradientCollector c = ai.djl.engine.Engine.getEngine("PyTorch")
                        .newGradientCollector()) {
                    c.backward(w.mul(w).sum()); // gradient 2w = (2, 4, 6), norm sqrt(56)
                }
                assertThat(adam.clipGradientNorm(1.0)).isCloseTo(Math.sqrt(56), org.assertj.core.data.Offset
                        .offset(1e-4));
                float[] g = w.getGradient().toFloatArray();
                assertThat(Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2])).isCloseTo(1.0,
                        org.assertj.core.data.Offset.offset(1e-5));
                assertThat(g[2] / g[0]).isCloseTo(3f, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void anOptimizerStepLeavesNoArraysBehindOnTheParametersManager() {
        // A gradient's arrays belong to its parameter's manager, which lives as long as a run: anything clipping,
        // the finiteness check or the update leaves open there grows the process by the model's size per batch.
        try (ai.djl.ndarray.NDManager m = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager()) {
            ai.djl.ndarray.NDArray w = m.create(new float[] {1f, 2f, 3f});
            w.setRequiresGradient(true);
            try (Adam adam = new Adam(m, java.util.Map.of("w", w))) {
                int before = -1;
                for (int batch = 0; batch < 5; batch++) {
                    // As the trainer does: the batch's own arrays live on a manager closed after the batch.
                    try (ai.djl.ndarray.NDManager bm = m.newSubManager();
                            ai.djl.training.GradientCollector c = ai.djl.engine.Engine.getEngine("PyTorch")
                                    .newGradientCollector()) {
                        ai.djl.ndarray.NDArray sq = w.mul(w);
                        sq.attach(bm);
                        c.backward(sq.sum());
                    }
                    int start = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
                    if (batch == 0) {
                        before = start;
                    }
                    assertThat(start).as("arrays on the parameters' manager before batch %d's update", batch)
                            .isEqualTo(before);
                    assertThat(adam.gradientsFinite()).isTrue();
                    assertThat(adam.clipGradientNorm(1.0)).isGreaterThan(0);
                    adam.step(1e-3);
                    assertThat(((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size())
                            .as("arrays on the parameters' manager after batch %d's update", batch)
                            .isEqualTo(before);
                }
            }
        }
    }
}
