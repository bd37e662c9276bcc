package dev.nristream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepFlopsTest {
    // N 3 atoms (E 6 edges), T 5 steps of D 2 features, K 3 types, encoder H 4, decoder H 6, M 2, batch 2.
    private static final NriConfig TINY = NriConfig.builder().atoms(3).timesteps(5).dims(2).edgeTypes(3)
            .encoderHidden(4).decoderHidden(6).predictionSteps(2).build();

    @Test
    void countsEachLayerFromTheShapes() {
        StepFlops f = StepFlops.forward(TINY, 2, 2);

        // Encoder, 2 * rows * in * out per layer: 6 node rows (2 x 3), 12 edge rows (2 x 6).
        double mlp1 = 2 * 6 * (10 * 4) + 2 * 6 * (4 * 4);        // T*D = 10 -> 4 -> 4
        double mlp2 = 2 * 12 * (8 * 4) + 2 * 12 * (4 * 4);        // 2H = 8 -> 4 -> 4
        double mlp3 = 2 * 6 * (4 * 4) + 2 * 6 * (4 * 4);
        double mlp4 = 2 * 12 * (12 * 4) + 2 * 12 * (4 * 4);       // 3H = 12 -> 4 -> 4
        double out = 2 * 12 * (4 * 3);                            // H -> K
        assertThat(f.encoder()).isEqualTo(mlp1 + mlp2 + mlp3 + mlp4 + out);

        // Decoder: restarts at t = 0, 2, 4 (3 of them), 2 steps each, batch 2: 12 states of 3 nodes, 6 edges.
        double msgPerEdgeAndType = 2 * (4 * 6) + 2 * (6 * 6);     // 2D = 4 -> 6 -> 6
        assertThat(f.decoderMessages()).isEqualTo(12 * 6 * 3 * msgPerEdgeAndType);
        double outPerNode = 2 * (8 * 6) + 2 * (6 * 6) + 2 * (6 * 2);   // D+H = 8 -> 6 -> 6 -> D
        assertThat(f.decoderOutput()).isEqualTo(12 * 3 * outPerNode);
        assertThat(f.total()).isEqualTo(f.encoder() + f.decoderMessages() + f.decoderOutput());
    }

    @Test
    void skipFirstDropsOneTypesMessagesOnly() {
        StepFlops all = StepFlops.forward(TINY, 2, 2);
        StepFlops skip = StepFlops.forward(TINY.toBuilder().skipFirst(true).build(), 2, 2);

        assertThat(skip.decoderMessages()).isEqualTo(all.decoderMessages() * 2 / 3);
        assertThat(skip.encoder()).isEqualTo(all.encoder());
        assertThat(skip.decoderOutput()).isEqualTo(all.decoderOutput());
    }

    @Test
    void trainingStepIsThreeForwardsWithTheConfiguredRollout() {
        StepFlops fwd = StepFlops.forward(TINY, 2, TINY.predictionSteps());
        StepFlops step = StepFlops.trainingStep(TINY, 2);

        assertThat(step.encoder()).isEqualTo(3 * fwd.encoder());
        assertThat(step.decoderMessages()).isEqualTo(3 * fwd.decoderMessages());
        assertThat(step.decoderOutput()).isEqualTo(3 * fwd.decoderOutput());
    }

    @Test
    void springsDefaultsAreDominatedByTheDecoder() {
        StepFlops f = StepFlops.trainingStep(NriConfig.builder().skipFirst(true).build(), 128);

        // B 128, S 5 restarts x M 10 steps, E 20: 128000 edge rows of 8 -> 256 -> 256, one sending type.
        double msg = 3.0 * 128000 * (2 * 8 * 256 + 2 * 256 * 256);
        assertThat(f.decoderMessages()).isEqualTo(msg);
        assertThat(f.decoderMessages() / f.total()).isGreaterThan(0.5);
    }

    @Test
    void recurrentDecoderCountsItsMessagesGatesAndOutputAtEveryStep() {
        StepFlops f = StepFlops.forward(TINY.toBuilder().decoder(NriConfig.DecoderKind.RECURRENT).build(), 2, 2);

        // T - 1 = 4 steps, batch 2: 8 states of 3 nodes and 6 edges; messages on [h_i, h_j], 2H = 12 -> 6 -> 6.
        double msgPerEdgeAndType = 2 * (12 * 6) + 2 * (6 * 6);
        assertThat(f.decoderMessages()).isEqualTo(8 * 6 * 3 * msgPerEdgeAndType);
        double gates = 3 * 2 * (2 * 6) + 3 * 2 * (6 * 6);         // x: D = 2 -> H, messages: H -> H, for r, i, n
        double outPerNode = 2 * (6 * 6) + 2 * (6 * 6) + 2 * (6 * 2);  // H -> H -> H -> D
        assertThat(f.decoderOutput()).isEqualTo(8 * 3 * (gates + outPerNode));
        assertThat(f.encoder()).isEqualTo(StepFlops.forward(TINY, 2, 2).encoder());
    }

    @Test
    void cnnEncoderCountsItsConvolutionsOverTime() {
        NriConfig cnn = TINY.toBuilder().timesteps(16).encoder(NriConfig.EncoderKind.CNN).build();
        StepFlops f = StepFlops.forward(cnn, 2, 2);

        // 12 edge rows (2 x 6); conv1 on 16 - 4 = 12 steps of 2D x 5 = 20 inputs -> H 4; pool to 6; conv2 on 2
        // steps of 5H = 20 -> 4; 1x1 heads 4 -> 4 and 4 -> 1 on those 2 steps.
        double conv = 2 * 12 * 12 * (20 * 4) + 2 * 12 * 2 * (20 * 4) + 2 * 12 * 2 * (4 * 4) + 2 * 12 * 2 * (4 * 1);
        double mlp1 = 2 * 12 * (4 * 4) + 2 * 12 * (4 * 4);        // edges H -> H -> H
        double mlp2 = 2 * 6 * (4 * 4) + 2 * 6 * (4 * 4);          // nodes
        double mlp3 = 2 * 12 * (12 * 4) + 2 * 12 * (4 * 4);       // edges 3H -> H -> H
        double out = 2 * 12 * (4 * 3);
        assertThat(f.encoder()).isEqualTo(conv + mlp1 + mlp2 + mlp3 + out);
    }
}
