package dev.nristream.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arithmetic behind the edge pictures, on probabilities set by hand, and the skeleton's drawn-pair count. */
class PlotPicturesTest {
    static final Path GOLDEN = Path.of(System.getProperty("nri.project.root", ".."))
            .resolve("flink-jobs/src/test/resources/golden-model/model.json");

    @TempDir
    Path tmp;

    /** Three agents, K = 2: P(type 1) on edge sender -> receiver is (10 * sender + receiver) / 100. */
    private static MeanEdgeProbabilities threeAgents() {
        double[] mean = new double[EdgeOrder.edgeCount(3) * 2];
        EdgeOrder.forEach(3, (e, receiver, sender) -> {
            double p = (10 * sender + receiver) / 100.0;
            mean[e * 2 + 1] = p;
            mean[e * 2] = 1 - p;
        });
        return new MeanEdgeProbabilities(ModelSpec.read(GOLDEN), 3, 1, mean);
    }

    @Test
    void groupMeansAverageTheDirectedEdgesBetweenGroups() {
        double[][] m = GroupHeatmap.means(threeAgents(), List.of("A", "A", "B"), 1);
        // A -> A: 0 -> 1 (0.01) and 1 -> 0 (0.10); A -> B: 0 -> 2 (0.02), 1 -> 2 (0.12); B -> A: 0.20, 0.21
        assertThat(m[0][0]).isCloseTo(0.055, within(1e-12));
        assertThat(m[0][1]).isCloseTo(0.07, within(1e-12));
        assertThat(m[1][0]).isCloseTo(0.205, within(1e-12));
        assertThat(m[1][1]).isNaN();
    }

    @Test
    void pairsAverageBothDirectionsAndRankMostProbableFirst() {
        double[][] u = MeanEdgeProbabilities.undirected(threeAgents().directed(k -> k == 1));
        assertThat(u[0][1]).isCloseTo(0.055, within(1e-12));
        assertThat(u[1][2]).isCloseTo(0.165, within(1e-12));
        assertThat(EdgeRanking.ranked(u)).extracting(p -> p.a() + "-" + p.b()).containsExactly("1-2", "0-2", "0-1");
        assertThat(EdgeRanking.summary(u, List.of("x", "y", "z"), 0.1, 2)).isEqualTo(String.format(
                "3 pairs of 3 agents; 2 with P(edge) > 0.10%ntop 2 pairs by P(edge), mean of both directions:%n"
                        + "  0.165  y - z%n  0.110  x - z%n"));
    }

    @Test
    void theSkeletonDrawsOnlyPairsAboveTheThreshold() throws Exception {
        SkeletonLayout s = new SkeletonLayout(new double[] {0, -0.2, 0.2, 0}, new double[] {1, 0.5, 0.5, 1.7},
                new boolean[][] {{false, true, true, true}, {true, false, false, false}, {true, false, false, false},
                    {true, false, false, false}});
        double nan = Double.NaN;
        double[][] p = {{nan, 0.9, 0.2, 0.3}, {0.9, nan, 0.6, 0.1}, {0.2, 0.6, nan, 0.5}, {0.3, 0.1, 0.5, nan}};
        Path png = tmp.resolve("s.png");
        assertThat(SkeletonEdgesPicture.write(s, p, 0.5, "test", png)).isEqualTo(2);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isPositive();
    }
}
