package dev.nristream.demo;

import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.nba.ClevelandGameFile;
import dev.nristream.feed.nba.ClevelandTracking;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import dev.nristream.feed.sim.SimulatedFeed;
import dev.nristream.feed.mocap.MocapOptions;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelException;
import dev.nristream.model.ModelSpec;
import dev.nristream.replay.Feeds;
import dev.nristream.replay.FrameSourceFactory;
import dev.nristream.sim.KuramotoForm;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The model and feed of a demo run, resolved and checked before any service starts: the model directory opens,
 * and the feed's first frame fits it (the same check the stream job applies to every scene,
 * {@link ModelSpec#feedMismatch}), so a 2D particle model given 3D mocap joints stops with a message naming both
 * layouts instead of filling the dead-letter topic.
 *
 * @param model the opened model
 * @param feed opens the feed (once per replay pass)
 * @param loop replay the feed again at its end (recordings); simulated scenes are endless
 * @param description what the feed is, for the console and the summary
 * @param firstFrame the feed's first frame (its agents and dimensions)
 */
public record DemoPlan(ModelDirectory model, FrameSourceFactory feed, boolean loop, String description,
        PositionFrame firstFrame) {

    /**
     * Resolves the model and feed for {@code s}.
     *
     * @throws IllegalArgumentException (a {@link ModelException} for model problems) naming what is missing or
     *     what does not fit
     */
    public static DemoPlan resolve(DemoSettings s) throws IOException {
        Path root = s.projectRoot();
        return switch (s.scenario()) {
            case SPRINGS -> simulated(s, root, SimSystem.SPRINGS, DemoSettings.SPRINGS_MODEL);
            case CHARGED -> simulated(s, root, SimSystem.CHARGED, DemoSettings.CHARGED_MODEL);
            case KURAMOTO -> simulated(s, root, SimSystem.KURAMOTO, DemoSettings.KURAMOTO_MODEL);
            case MOCAP -> {
                Path dir = s.mocapDir() != null ? s.mocapDir() : root.resolve(DemoSettings.MOCAP_DATA).normalize();
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("motion-capture data not found: " + dir + " is not a directory "
                            + "(CMU subject 35 ASF/AMC files; pass --data DIR)");
                }
                String hint = null;
                if (s.model() == null && !Files.isDirectory(root.resolve(DemoSettings.MOCAP_MODEL))) {
                    hint = "no motion-capture model ships yet (" + DemoSettings.MOCAP_MODEL + " does not exist); "
                            + "pass --model DIR with a model trained on 3D joints";
                }
                ModelDirectory model = openModel(s.model(), root,
                        hint == null ? DemoSettings.MOCAP_MODEL : DemoSettings.SPRINGS_MODEL, hint);
                // In metres, the unit `./nri mocap dataset` trains in: in ASF units (1/0.45 inch) every window of
                // models/mocap35 was far outside its trained range and its forecasts off by half a stride.
                MocapOptions opts = MocapOptions.defaults().withMetres(true).withFps(mocapFps(model.spec()));
                String desc = "CMU motion capture " + dir.getFileName() + " (3D joints, " + opts.samplingRateHz()
                        + " Hz)";
                yield check(model, Feeds.mocapDirectory(dir, opts), true, desc, hint);
            }
            case SPORTVU -> {
                Path game = s.sportvuFile();
                String desc;
                if (game == null) {
                    game = realTestPlays(root.resolve(DemoSettings.NBA_DATA).normalize());
                    desc = "SportVU: the real Cleveland test plays (./nri nba game)";
                } else if (!Files.isRegularFile(game)) {
                    throw new NoSuchFileException(game.toString());
                } else {
                    desc = "SportVU " + game.getFileName();
                }
                ModelDirectory model = openModel(s.model(), root, DemoSettings.NBA_MODEL, null);
                yield check(model, Feeds.sportVu(List.of(game)), true, desc, null);
            }
        };
    }

    /** K simulated scenes of {@code system}, scored by a model trained on that system. */
    private static DemoPlan simulated(DemoSettings s, Path root, SimSystem system, String defaultModel)
            throws IOException {
        ModelDirectory model = openModel(s.model(), root, defaultModel, null);
        ModelSpec spec = model.spec();
        // Springs and charged frames have the same layout, so only the model's system tells a charged model
        // from a springs one; scored against the other system's edges its accuracy would be noise.
        if (spec.system() != null && !spec.system().equals(system.id())) {
            throw new ModelException("model " + spec.modelId() + " was trained on " + spec.system() + ", not on the "
                    + system.id() + " scenes of --scenario " + system.id() + "; pass a " + system.id() + " model (--model "
                    + "DIR, default " + defaultModel + ")");
        }
        int atoms = spec.atoms() == null ? 5 : spec.atoms();
        SimConfig.Builder b = SimConfig.builder().setSystem(system).setAtoms(atoms);
        if (system == SimSystem.KURAMOTO) {
            b.optKuramotoForm(KuramotoForm.CIRCLE); // oscillators as points on the unit circle: what the stream serves
        }
        SimConfig cfg = b.build();
        String desc = String.format(Locale.ROOT, "simulated %s, %d scenes x %d %s (seed %d)", system.id(), s.scenes(),
                atoms, system.isParticles() ? "particles" : "oscillators on the unit circle", s.seed());
        // Event times start at the wall clock when the feed opens (not when the plan is made, seconds earlier), so
        // they match processing time: lag and the job's lateness judge real delays.
        FrameSourceFactory sim = problems -> new SimulatedFeed(cfg, s.scenes(), s.seed(), 0,
                System.currentTimeMillis());
        return check(model, sim, false, desc, null);
    }

    /**
     * The real Cleveland tracking's test plays (never trained on) as a SportVU game file in a temporary file, deleted
     * when the demo's JVM exits.
     */
    private static Path realTestPlays(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(ClevelandTracking.FRAMES_FILE))) {
            throw new IllegalArgumentException("no game file given, and the real basketball tracking is not at " + dir
                    + " (" + ClevelandTracking.FRAMES_FILE + "): ./nri demo --scenario sportvu GAME.json");
        }
        Path game = Files.createTempFile("nri-demo-cle-test-", ".json");
        game.toFile().deleteOnExit();
        ClevelandGameFile.write(dir, "test", game, System.currentTimeMillis());
        return game;
    }

    /** The model's own rate when CMU's 120 Hz divides down to it, else 30 Hz. */
    static int mocapFps(ModelSpec spec) {
        Double hz = spec.samplingRateHz();
        if (hz != null && hz > 0 && Math.abs(hz - Math.rint(hz)) < 1e-9 && MocapOptions.NATIVE_FPS % (int) Math.rint(hz) == 0) {
            return (int) Math.rint(hz);
        }
        return 30;
    }

    private static ModelDirectory openModel(Path explicit, Path root, String defaultDir, String hint) {
        if (explicit != null) {
            return ModelDirectory.open(explicit);
        }
        Path dir = root.resolve(defaultDir);
        if (!Files.isDirectory(dir)) {
            throw new ModelException("no model: " + dir + " does not exist" + (hint == null ? "" : " and " + hint)
                    + ". Train one (./nri train, then ./nri export --out " + defaultDir + ") or pass --model DIR, "
                    + "e.g. " + DemoSettings.SPRINGS_MODEL + " (shipped) or the random-weight test model "
                    + "flink-jobs/src/test/resources/golden-model (its graphs are noise)");
        }
        return ModelDirectory.open(dir);
    }

    private static DemoPlan check(ModelDirectory model, FrameSourceFactory feed, boolean loop, String desc,
            String hint) throws IOException {
        PositionFrame first;
        try (FrameSource src = feed.open(FeedProblems.silent())) {
            if (!src.hasNext()) {
                throw new IllegalArgumentException(desc + " has no frames");
            }
            first = src.next();
        }
        ModelSpec spec = model.spec();
        String mismatch = spec.feedMismatch(first.getCoordinates().getDimensions(), desc);
        if (mismatch != null) {
            throw new ModelException(mismatch + (hint == null ? "" : " (" + hint + ")"));
        }
        int n = first.getAgents().size();
        if (!spec.acceptsAtoms(n)) {
            throw new ModelException("model " + spec.modelId() + " takes exactly " + spec.atoms() + " agents but "
                    + desc + " has " + n + "; use a model trained with dynamic_atoms or on " + n + " agents");
        }
        return new DemoPlan(model, feed, loop, desc, first);
    }
}
