package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.io.Npy;
import dev.nristream.model.DatasetLayout;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri plot edges} with the golden test models (random weights, so the probabilities themselves mean nothing)
 * on tiny datasets written here: each layout (agent heatmap, skeleton, team heatmaps) writes a readable PNG and a
 * summary over every pair; bad input is named before the model runs.
 */
class EdgesPlotCommandTest {
    static final Path GOLDEN_3D = DemoCommandTest.ROOT.resolve("flink-jobs/src/test/resources/golden-model-3d");

    @TempDir
    Path tmp;

    private final CapturedNri cli = new CapturedNri();

    private int run(String... args) {
        return cli.run(args);
    }

    /** A test split of random positions and velocities inside the golden models' normalisation range. */
    private static void dataset(Path dir, String suffix, int samples, int steps, int dims, int atoms, double[] edges,
            String json) throws Exception {
        Files.createDirectories(dir);
        Random r = new Random(7);
        double[] loc = new double[samples * steps * dims * atoms];
        double[] vel = new double[loc.length];
        for (int i = 0; i < loc.length; i++) {
            loc[i] = -4 + 8 * r.nextDouble();
            vel[i] = -1 + 2 * r.nextDouble();
        }
        Npy.write(DatasetLayout.file(dir, DatasetLayout.LOC, "test", suffix), loc, samples, steps, dims, atoms);
        Npy.write(DatasetLayout.file(dir, DatasetLayout.VEL, "test", suffix), vel, samples, steps, dims, atoms);
        double[] e = new double[samples * atoms * atoms];
        for (int s = 0; s < samples; s++) {
            System.arraycopy(edges, 0, e, s * atoms * atoms, atoms * atoms);
        }
        Npy.write(DatasetLayout.file(dir, DatasetLayout.EDGES, "test", suffix), e, samples, atoms, atoms);
        if (json != null) {
            Files.writeString(dir.resolve(DatasetLayout.provenanceFileName(suffix)), json);
        }
    }

    private static void assertImage(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as(png.toString()).isNotNull();
        assertThat(img.getWidth()).isPositive();
        assertThat(img.getHeight()).isPositive();
    }

    @Test
    void springsGetAnAgentHeatmapAndEveryPairInTheSummary() throws Exception {
        Path data = tmp.resolve("springs5");
        dataset(data, "_springs5", 3, 49, 2, 5, new double[25], null);
        Path png = tmp.resolve("edges.png");
        int rc = run("plot", "edges", "--model", DemoCommandTest.GOLDEN.toString(), "--data", data.toString(),
                "--out", png.toString(), "--threads", "1");
        assertThat(rc).as(cli.err()).isZero();
        assertThat(cli.out()).contains("golden-random-springs on test_springs5: mean over 3 windows of 49 frames")
                .contains("10 pairs of 5 agents;").contains("top 10 pairs by P(edge)");
        assertImage(png);
    }

    @Test
    void motionCaptureIsDrawnOnTheSkeleton() throws Exception {
        Path data = tmp.resolve("mocap4");
        double[] bones = new double[16];
        for (int j : new int[] {1, 2, 3}) {
            bones[j] = 1;
            bones[j * 4] = 1;
        }
        dataset(data, "_mocap4", 2, 20, 3, 4, bones,
                "{\"system\": \"mocap\", \"joints\": [\"root\", \"lhip\", \"rhip\", \"head\"]}");
        Path png = tmp.resolve("skeleton.png");
        int rc = run("plot", "edges", "--model", GOLDEN_3D.toString(), "--data", data.toString(), "--out",
                png.toString(), "--threshold", "0", "--max-samples", "1", "--threads", "1");
        assertThat(rc).as(cli.err()).isZero();
        assertThat(cli.out()).contains("mean over 1 windows of 20 frames, 4 agents, system mocap")
                .contains("6 pairs of 4 agents; 6 with P(edge) > 0.00").contains("root - ").contains("head");
        assertImage(png);
    }

    @Test
    void basketballGetsOneTeamHeatmapPerEdgeType() throws Exception {
        Path data = tmp.resolve("nba");
        dataset(data, "_nba", 2, 49, 2, 11, new double[121], "{\"system\": \"nba\", \"teams\": [\"CLE\", \"CLE\", "
                + "\"CLE\", \"CLE\", \"CLE\", \"OPP\", \"OPP\", \"OPP\", \"OPP\", \"OPP\", \"ball\"], \"roles\": "
                + "[\"F (James)\", \"PF/C (Love)\", \"C\", \"SG/SF (Smith)\", \"G\", \"F\", \"F\", \"C\", \"G\", "
                + "\"G\", \"ball\"]}");
        Path png = tmp.resolve("nba.png");
        // The golden springs model takes any number of agents.
        int rc = run("plot", "edges", "--model", DemoCommandTest.GOLDEN.toString(), "--data", data.toString(),
                "--suffix", "_nba", "--out", png.toString(), "--threads", "1");
        assertThat(rc).as(cli.err()).isZero();
        assertThat(cli.out()).contains("system nba").contains("type 0: none").contains("type 1: spring")
                .containsPattern("\\s+CLE\\s+OPP\\s+ball").containsPattern("ball\\s+[0-9.]+\\s+[0-9.]+\\s+-")
                .contains("55 pairs of 11 agents;")
                // agents are named by index and role, e.g. "3 SG/SF (Smith) - 7 C"
                .containsPattern("  0\\.\\d{3}  \\d+ [A-Za-z/ ()]+ - \\d+ [A-Za-z/ ()]+\\n");
        assertImage(png);

        // by role (Fig. 8): each team's positions, the two OPP forwards one group, the ball its own
        Path roles = tmp.resolve("nba-roles.png");
        rc = run("plot", "edges", "--model", DemoCommandTest.GOLDEN.toString(), "--data", data.toString(),
                "--suffix", "_nba", "--out", roles.toString(), "--threads", "1", "--group", "role");
        assertThat(rc).as(cli.err()).isZero();
        assertThat(cli.out()).contains("mean probability by sender role (rows) x receiver role (columns):")
                .containsPattern("\\s+CLE F\\s+CLE PF/C\\s+CLE C\\s+CLE SG/SF\\s+CLE G\\s+OPP F\\s+OPP C\\s+OPP G\\s+ball\\n")
                .containsPattern("\\n  ball\\s+(\\s+[0-9.]+){8}\\s+-\\n");
        assertImage(roles);
        assertThat(run("plot", "edges", "--model", DemoCommandTest.GOLDEN.toString(), "--data", data.toString(),
                "--suffix", "_nba", "--out", roles.toString(), "--threads", "1", "--group", "jersey"))
                .isEqualTo(UserErrorHandler.USER_ERROR_EXIT);
        assertThat(cli.err()).contains("--group must be team or role");
    }

    @Test
    void aMissingSplitIsNamedAndNothingIsDrawn() {
        Path png = tmp.resolve("edges.png");
        int rc = run("plot", "edges", "--model", DemoCommandTest.GOLDEN.toString(), "--data", tmp.toString(),
                "--out", png.toString());
        assertThat(rc).isEqualTo(UserErrorHandler.USER_ERROR_EXIT);
        assertThat(cli.err()).contains("dataset file missing: " + tmp.resolve("loc_test_springs5.npy"));
        assertThat(png).doesNotExist();
    }

    @Test
    void anUnknownEdgeTypeListsTheModelsTypes() throws Exception {
        Path data = tmp.resolve("springs5");
        dataset(data, "_springs5", 1, 49, 2, 5, new double[25], null);
        int rc = run("plot", "edges", "--model", DemoCommandTest.GOLDEN.toString(), "--data", data.toString(),
                "--edge-type", "rope", "--out", tmp.resolve("e.png").toString());
        assertThat(rc).isEqualTo(UserErrorHandler.USER_ERROR_EXIT);
        assertThat(cli.err()).contains("--edge-type rope is not an edge type of model golden-random-springs; "
                + "it has 0 (none), 1 (spring)");
    }
}
