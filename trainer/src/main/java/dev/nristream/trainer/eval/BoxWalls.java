package dev.nristream.trainer.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.model.DatasetLayout;
import dev.nristream.model.Normaliser;
import dev.nristream.sim.SimConfig;
import dev.nristream.trainer.data.NriDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The elastic walls of a simulated particle scene, and which forecasts come near one.
 *
 * <p>The springs and charged simulators keep particles in a box (half-width 5): a particle reaching a wall has its
 * velocity component reversed within one frame, a jump the decoder learns only as a smoothed turn, so its forecasts
 * are worse for every particle close to a wall, bouncing or not. A window at the start of a simulation has its
 * particles near the centre (none of the 2,000 springs5 test scenes within 0.5 of a wall in its first 10 forecast
 * steps); a minute into a scene a third of the 1-step forecasts have one there. Splitting the forecast error by
 * that tells a loss of accuracy with scene age apart from the box.
 *
 * <p>A forecast is near a wall up to step k when some particle's position component is within {@link #BAND} of the
 * half-width of a wall at the rollout's start or any true step 1..k: every bounce lies in that band (a particle moves
 * well under 0.5 per frame), and so do the turns the decoder smooths over.
 */
public final class BoxWalls {
    /** Key of the half-width in a simulated dataset's provenance file ({@code dataset<suffix>.json}). */
    public static final String HALF_WIDTH_KEY = "walls_half_width";
    /** Distance from a wall, as a fraction of the half-width, within which a particle is near it. */
    static final double BAND = 0.1;

    private static final Pattern PARTICLE_SIMULATION = Pattern.compile("^\\./nri simulate .*--system (springs|charged)\\b");

    private final double halfWidth;

    public BoxWalls(double halfWidth) {
        if (!(halfWidth > 0) || Double.isInfinite(halfWidth)) {
            throw new IllegalArgumentException("wall half-width must be positive and finite, got " + halfWidth);
        }
        this.halfWidth = halfWidth;
    }

    public double halfWidth() {
        return halfWidth;
    }

    /**
     * The walls of a dataset made by {@code ./nri simulate}: {@value #HALF_WIDTH_KEY} of its provenance file, else
     * (files written before the key) the simulator's fixed box for springs and charged; empty for any other data
     * (Kuramoto, motion capture, basketball, a dataset without provenance).
     */
    public static Optional<BoxWalls> of(Path dataDir, String suffix) {
        Path f = dataDir.resolve(DatasetLayout.provenanceFileName(suffix));
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        JsonNode p;
        try {
            p = new ObjectMapper().readTree(f.toFile());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (p.path(HALF_WIDTH_KEY).isNumber()) {
            return Optional.of(new BoxWalls(p.path(HALF_WIDTH_KEY).asDouble()));
        }
        if (PARTICLE_SIMULATION.matcher(p.path("reproduce").asText("")).find()) {
            return Optional.of(new BoxWalls(SimConfig.DEFAULT_BOX_SIZE));
        }
        return Optional.empty();
    }

    /**
     * For each sample of a normalised [B, N, steps, 2S] block (positions then velocities, step 0 the state a rollout
     * starts from), the first step 1 .. steps-1 up to which the forecast is near a wall (1 when it starts there), or
     * {@code steps} when it never is.
     */
    public int[] firstNearWall(float[] block, int b, int n, int steps, NriDataset data) {
        int s = data.spatialDims();
        int d = data.dims();
        if (s == 0 || d != 2 * s) {
            throw new IllegalArgumentException("wall distances need positions and velocities, got the features "
                    + data.featureLayout());
        }
        Normaliser norm = data.normalisation();
        double near = halfWidth * (1 - BAND);
        int[] first = new int[b];
        for (int i = 0; i < b; i++) {
            first[i] = steps;
            for (int a = 0; a < n; a++) {
                int row = (i * n + a) * steps;
                for (int t = 0; t < Math.min(steps, first[i]); t++) {
                    for (int c = 0; c < s; c++) {
                        if (Math.abs(norm.unLoc(block[(row + t) * d + c])) >= near) {
                            first[i] = Math.max(t, 1);
                            break;
                        }
                    }
                }
            }
        }
        return first;
    }
}
