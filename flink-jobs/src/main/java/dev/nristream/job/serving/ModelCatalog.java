package dev.nristream.job.serving;

import dev.nristream.model.ModelSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The matching rule: which of the served models a scene gets, from what its frames say they are ({@link FeedKind}).
 * A model fits a scene when
 * <ol>
 *   <li>its {@code spatial_dims} equal the frame's {@code coordinates.dimensions}, or its {@code feed_dims} do (a 2D
 *       basketball model reads the court plane of SportVU's 3D frames);</li>
 *   <li>its {@code atoms} equal the frame's agent count, or it has {@code dynamic_atoms};</li>
 *   <li>when the job serves more than one model and the frame says what system it is (its {@code system} field, or
 *       its source kind: SPORTVU means "nba", MOCAP "mocap"), the model's {@code system} is that system.</li>
 * </ol>
 * Among fitting models one trained on exactly the frame's agent count wins over one that merely accepts it, then
 * the one configured first. With one model the system is not checked, so {@code --model.dir DIR} serves every
 * feed whose layout fits, as it always did (a frame naming no system, e.g. CSV, is likewise matched on layout).
 *
 * <pre>{@code
 * ServedModel m = ModelCatalog.choose(models, FeedKind.of("SIMULATION", "springs", 2, 5));
 * if (m == null) deadLetter(ModelCatalog.noModelReason(models, kind));
 * }</pre>
 */
public final class ModelCatalog {

    private ModelCatalog() {
    }

    /** Checks that the configured models can be served together: at least one, unique model ids. */
    public static void requireServable(List<ServedModel> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to serve (--model.dir DIR[,DIR...])");
        }
        Set<String> ids = new HashSet<>();
        for (ServedModel m : models) {
            if (!ids.add(m.modelId)) {
                throw new IllegalArgumentException("model id " + m.modelId + " is configured twice ("
                        + models.stream().filter(x -> x.modelId.equals(m.modelId)).map(x -> x.modelDir)
                                .collect(Collectors.joining(", ")) + "): every output names its model, so ids must be unique");
            }
        }
    }

    /** Whether {@code m} may serve a scene of kind {@code k} (see the class comment). */
    public static boolean fits(ServedModel m, FeedKind k, boolean checkSystem) {
        ModelSpec s = m.spec();
        if (!s.servesDims(k.dims()) || !s.acceptsAtoms(k.agents())) {
            return false;
        }
        return !checkSystem || k.system() == null || k.system().equals(m.system());
    }

    /** The model for a scene of kind {@code k}, or null when none fits. */
    public static ServedModel choose(List<ServedModel> models, FeedKind k) {
        boolean checkSystem = models.size() > 1;
        ServedModel first = null;
        for (ServedModel m : models) {
            if (fits(m, k, checkSystem)) {
                if (Objects.equals(m.spec().atoms(), k.agents())) {
                    return m;
                }
                if (first == null) {
                    first = m;
                }
            }
        }
        return first;
    }

    /** E.g. {@code no model for MOCAP mocap 3D 31 agents; loaded: springs5-live (springs 2D 5 agents ...)}. */
    public static String noModelReason(List<ServedModel> models, FeedKind k) {
        List<String> loaded = new ArrayList<>();
        for (ServedModel m : models) {
            loaded.add(m.describe());
        }
        return "no model for " + k.describe() + "; loaded: " + String.join(", ", loaded);
    }

    /**
     * Why {@code candidate} may not replace {@code current} in its slot, or null when it may. A swap must not change
     * what the slot serves or how its scenes are cut into windows: the same system and spatial dimensions, every
     * agent count the old model took (a dynamic model may replace a fixed one, not the reverse), the same window
     * length and sampling rate (the scenes' window grids run on across the swap, so no window is lost or made
     * twice). Checked on the models' descriptions alone, so every parallel instance decides the same.
     */
    public static String swapProblem(ServedModel current, ServedModel candidate, List<ServedModel> served) {
        ModelSpec o = current.spec();
        ModelSpec n = candidate.spec();
        List<String> p = new ArrayList<>();
        for (ServedModel m : served) {
            if (m.modelId.equals(candidate.modelId)) {
                p.add("model id " + candidate.modelId + " is already served (slot " + m.slot + ")");
            }
        }
        if (!Objects.equals(current.system(), candidate.system())) {
            p.add("system " + n.system() + " is not " + o.system());
        }
        if (!Objects.equals(o.spatialDims(), n.spatialDims())) {
            p.add(n.spatialDims() + "D is not " + o.spatialDims() + "D");
        }
        boolean oldDynamic = Boolean.TRUE.equals(o.dynamicAtoms());
        boolean newDynamic = Boolean.TRUE.equals(n.dynamicAtoms());
        if (!newDynamic && (oldDynamic || !Objects.equals(o.atoms(), n.atoms()))) {
            p.add("it takes only " + n.atoms() + " agents but " + current.modelId + " serves "
                    + (oldDynamic ? "any agent count" : o.atoms() + " agents"));
        }
        if (!Objects.equals(o.windowLength(), n.windowLength())) {
            p.add("window_length " + n.windowLength() + " is not " + o.windowLength());
        }
        if (!Objects.equals(o.samplingRateHz(), n.samplingRateHz())) {
            p.add("sampling_rate_hz " + n.samplingRateHz() + " is not " + o.samplingRateHz());
        }
        return p.isEmpty() ? null : "model " + candidate.describe() + " cannot replace " + current.describe()
                + ": " + String.join("; ", p);
    }
}
