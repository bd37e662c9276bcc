package dev.nristream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code --encoder-steps N}: the encoder is built for and fed the first N steps of each T-step window, the decoder
 * all T; and {@code --graph full}: no encoder, fixed one-hot weights on the message-passing type, no KL term.
 */
class EncoderStepsTest {
    private static final int B = 3;
    private static final int N = 4;
    private static final int T = 20;
    private static final int D = 4;

    private final Engine engine = Engine.getEngine("PyTorch");

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }

    @Test
    void theMlpEncoderIsBuiltForAndFedTheFirstNSteps() {
        NriConfig cfg = NriConfig.builder().atoms(N).timesteps(T).dims(D).hidden(8).encoderSteps(7).build();
        assertThat(cfg.encoderWindow()).isEqualTo(7);
        try (NDManager m = engine.newBaseManager(); NriModel model = new NriModel(m, cfg, 1)) {
            // The first layer takes 7 steps x D features per node.
            assertThat(model.store().get("enc.mlp1.fc1.w").getShape()).isEqualTo(new Shape(7L * D, 8));
            float[] data = random(B * N * T * D, 2);
            NDArray x = m.create(data, new Shape(B, N, T, D));
            NriModel.Output out = model.forward(x, false);
            assertThat(out.logits().getShape()).isEqualTo(new Shape(B, N * (N - 1), 2));
            // Steps from 7 on do not change the graph (the decoder still sees them: the NLL changes).
            float[] later = data.clone();
            for (int i = 0; i < later.length; i++) {
                if ((i / D) % T >= 7) {
                    later[i] += 0.5f;
                }
            }
            NriModel.Output out2 = model.forward(m.create(later, new Shape(B, N, T, D)), false);
            assertThat(out2.logits().toFloatArray()).containsExactly(out.logits().toFloatArray());
            assertThat(out2.nll().getFloat()).isNotEqualTo(out.nll().getFloat());
            // Fed a whole T-step window directly, the encoder says what it expects.
            assertThatThrownBy(() -> model.edgeLogits(x, false)).hasMessageContaining("[B, N, 7, 4]");
        }
    }

    @Test
    void theCnnEncoderSeesTheFirstNSteps() {
        NriConfig cfg = NriConfig.builder().atoms(N).timesteps(25).dims(D).hidden(6).encoderSteps(17)
                .encoder(NriConfig.EncoderKind.CNN).decoder(NriConfig.DecoderKind.RECURRENT).build();
        try (NDManager m = engine.newBaseManager(); NriModel model = new NriModel(m, cfg, 1)) {
            float[] data = random(B * N * 25 * D, 3);
            NriModel.Output out = model.forward(m.create(data, new Shape(B, N, 25, D)), false);
            float[] first17 = new float[B * N * 17 * D];
            for (int row = 0; row < B * N; row++) {
                System.arraycopy(data, row * 25 * D, first17, row * 17 * D, 17 * D);
            }
            float[] direct = model.edgeLogits(m.create(first17, new Shape(B, N, 17, D)), false).toFloatArray();
            assertThat(out.logits().toFloatArray()).containsExactly(direct);
        }
    }

    @Test
    void aFullGraphModelHasNoEncoderAndNoKl() {
        NriConfig cfg = NriConfig.builder().atoms(N).timesteps(T).dims(D).hidden(8).skipFirst(true)
                .graph(NriConfig.GraphKind.FULL).build();
        try (NDManager m = engine.newBaseManager(); NriModel model = new NriModel(m, cfg, 1)) {
            assertThat(model.store().params().keySet()).allMatch(k -> k.startsWith("dec."));
            NriModel.Output out = model.forward(m.create(random(B * N * T * D, 4), new Shape(B, N, T, D)), true);
            assertThat(out.logits()).isNull();
            assertThat(out.kl().getFloat()).isZero();
            assertThat(out.loss().getFloat()).isEqualTo(out.nll().getFloat());
            assertThatThrownBy(model::encoder).hasMessageContaining("--graph full");
        }
        float[] z = NriModel.fullGraphWeights(cfg, 2, 3);
        assertThat(z).hasSize(2 * 6 * 2);
        for (int e = 0; e < 12; e++) {
            assertThat(new float[] {z[2 * e], z[2 * e + 1]}).containsExactly(0f, 1f);
        }
    }
}
