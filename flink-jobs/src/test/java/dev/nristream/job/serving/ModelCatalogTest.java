package dev.nristream.job.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    static final ModelSpec GOLDEN = ModelDirectory.open(StreamTestKit.goldenModel()).spec();

    /** The golden springs model's description with another id, system, dims (layout), atoms and dynamic flag. */
    static ServedModel model(String id, String system, int dims, int atoms, boolean dynamic) {
        ModelSpec s = GOLDEN;
        ModelSpec spec = new ModelSpec(id, system, atoms, dynamic, s.windowLength(), ModelSpec.expectedLayout(dims),
                dims, s.samplingRateHz(), s.edgeTypes(), s.edgeTypeNames(), s.noEdgeType(), s.normalisation(),
                s.encoderFile(), s.decoderFile(), s.training(), s.testMetrics(), s.edgeCalibration());
        return ServedModel.of(id, spec, "/models/" + id);
    }

    final ServedModel springs = model("springs", "springs", 2, 5, true);
    final ServedModel charged = model("charged", "charged", 2, 5, true);
    final ServedModel mocap = model("mocap31", "mocap", 3, 31, false);
    final ServedModel nba = model("nba11", "nba", 2, 11, false);
    final List<ServedModel> all = List.of(springs, charged, mocap, nba);

    @Test
    void theFramesSystemPicksAmongModelsOfTheSameLayout() {
        assertThat(ModelCatalog.choose(all, FeedKind.of("SIMULATION", "charged", 2, 5))).isSameAs(charged);
        assertThat(ModelCatalog.choose(all, FeedKind.of("SIMULATION", "Springs", 2, 5))).isSameAs(springs);
        assertThat(ModelCatalog.choose(all, FeedKind.of("SIMULATION", "kuramoto", 2, 5))).isNull();
        // oscillators on the unit circle have the particles' layout: only the frames' system tells them apart
        ServedModel kuramoto = model("kuramoto", "kuramoto", 2, 5, true);
        List<ServedModel> withKuramoto = List.of(springs, charged, kuramoto, mocap, nba);
        assertThat(ModelCatalog.choose(withKuramoto, FeedKind.of("SIMULATION", "kuramoto", 2, 5))).isSameAs(kuramoto);
        assertThat(ModelCatalog.choose(withKuramoto, FeedKind.of("SIMULATION", "springs", 2, 5))).isSameAs(springs);
    }

    @Test
    void theSourceKindImpliesTheSystemWhenTheFrameNamesNone() {
        assertThat(ModelCatalog.choose(all, FeedKind.of("MOCAP", null, 3, 31))).isSameAs(mocap);
        assertThat(ModelCatalog.choose(all, FeedKind.of("SPORTVU", null, 2, 11))).isSameAs(nba);
        // a SportVU moment without the ball has 10 agents: the fixed-size basketball model does not take it, and
        // the springs model (any count) is not basketball
        assertThat(ModelCatalog.choose(all, FeedKind.of("SPORTVU", null, 2, 10))).isNull();
        assertThat(ModelCatalog.choose(all, FeedKind.of("MOCAP", null, 3, 30))).isNull();
    }

    @Test
    void aFrameNamingNoSystemIsMatchedOnLayoutExactAtomCountFirst() {
        assertThat(ModelCatalog.choose(all, FeedKind.of("CSV", null, 2, 11))).isSameAs(nba);
        assertThat(ModelCatalog.choose(all, FeedKind.of("CSV", null, 2, 7))).isSameAs(springs);
        assertThat(ModelCatalog.choose(all, FeedKind.of("UNKNOWN", null, 3, 31))).isSameAs(mocap);
    }

    @Test
    void oneModelServesEveryFeedWhoseLayoutFitsAsBefore() {
        assertThat(ModelCatalog.choose(List.of(springs), FeedKind.of("SPORTVU", null, 2, 11))).isSameAs(springs);
        assertThat(ModelCatalog.choose(List.of(springs), FeedKind.of("MOCAP", null, 3, 31))).isNull();
    }

    @Test
    void theNoModelReasonNamesTheFeedAndEveryModel() {
        assertThat(ModelCatalog.noModelReason(List.of(springs), FeedKind.of("MOCAP", null, 3, 31)))
                .isEqualTo("no model for MOCAP mocap 3D 31 agents; loaded: springs (springs 2D 5 agents or any "
                        + "other count, T=49 at 10.0 Hz)");
    }

    @Test
    void aCourtPlaneModelWithFeedDimsServesSportVusThreeDimensionalFramesAndNamesThemWhenItCannot() {
        ServedModel court = ServedModel.of("nba", nba.spec().withFeedDims(3), "/models/nba");
        List<ServedModel> served = List.of(springs, mocap, court);
        // SportVU frames are 3D (the ball's height): only a model declaring feed_dims 3 reads their court plane
        assertThat(ModelCatalog.choose(served, FeedKind.of("SPORTVU", null, 3, 11))).isSameAs(court);
        assertThat(ModelCatalog.choose(all, FeedKind.of("SPORTVU", null, 3, 11))).isNull();
        assertThat(ModelCatalog.choose(served, FeedKind.of("SPORTVU", null, 2, 11))).isSameAs(court);
        assertThat(court.spec().feedMismatch(3, "scene g-p1")).isNull();
        assertThat(springs.spec().feedMismatch(3, "scene g-p1")).contains("expects 2D features");
    }

    @Test
    void modelIdsMustBeUnique() {
        assertThatThrownBy(() -> ModelCatalog.requireServable(List.of(springs, model("springs", "x", 2, 5, true))))
                .hasMessageContaining("model id springs is configured twice");
        assertThatThrownBy(() -> ModelCatalog.requireServable(List.of())).hasMessageContaining("no model");
    }

    @Test
    void aSwapKeepsWhatTheSlotServesAndHowItsScenesAreWindowed() {
        assertThat(ModelCatalog.swapProblem(springs, model("springs-v2", "springs", 2, 5, true), all)).isNull();
        assertThat(ModelCatalog.swapProblem(nba, model("nba-v2", "nba", 2, 11, true), all)).isNull();
        assertThat(ModelCatalog.swapProblem(springs, model("springs-3d", "springs", 3, 5, true), all))
                .contains("cannot replace springs").contains("3D is not 2D");
        assertThat(ModelCatalog.swapProblem(springs, model("springs-fixed", "springs", 2, 5, false), all))
                .contains("takes only 5 agents but springs serves any agent count");
        assertThat(ModelCatalog.swapProblem(springs, model("charged", "charged", 2, 5, true), all))
                .contains("model id charged is already served").contains("system charged is not springs");
    }
}
