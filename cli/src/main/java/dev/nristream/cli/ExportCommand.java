package dev.nristream.cli;

import dev.nristream.model.EdgeCalibration;
import dev.nristream.trainer.export.ModelExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri export}: writes a model directory (encoder.onnx, decoder.onnx, model.json, evaluation.json, curves)
 * from a training run, after evaluating it on the test split and checking ONNX Runtime parity.
 *
 * <pre>{@code
 * ./nri export --run /root/nri-runs/springs5 --out models/springs5
 * }</pre>
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Exports a training run's checkpoint to ONNX (opset 17) with model.json; evaluates it on the",
            "test split and fails if ONNX Runtime and the trained network differ by more than 1e-4."})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, description = "Training run directory.")
    Path run;

    @Option(names = "--decoder-run", paramLabel = "RUN", description = "With a --run trained with --graph supervised "
            + "(the encoder alone, on the true edge types): take the decoder from RUN, trained with --graph true on "
            + "the same data, and export the pair as one model (simulated systems, whose true graph is known).")
    Path decoderRun;

    @Option(names = "--out", required = true, description = "Model directory to write.")
    Path out;

    @Option(names = "--checkpoint", defaultValue = "best", description = "best or last (default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = "--test-data", description = "Directory with the test split (default: the run's data directory).")
    Path testData;

    @Option(names = "--model-id", description = "model_id (default: <suffix>-<date>, e.g. springs5-20261127).")
    String modelId;

    @Option(names = "--scene-age-data", description = "Dataset directory whose test split holds long simulations: "
            + "model.json also records accuracy, calibration and MSE for windows 0 to 90 s into a scene "
            + "(default: the test data, when its samples are long enough).")
    Path sceneAgeData;

    @Option(names = "--no-calibration", description = "Publish the encoder's raw softmax as edge probabilities "
            + "instead of fitting a temperature on the run's validation windows (model.json edge_calibration).")
    boolean noCalibration;

    @Option(names = "--horizon", paramLabel = "STEPS", description = "Forecast steps scored on the test split "
            + "(default: 20, or as many as its samples hold after the window: 7 for 25-step basketball segments "
            + "with a 17-step window).")
    Integer horizon;

    @Option(names = "--threads", description = "PyTorch threads (default: OMP_NUM_THREADS or all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        TrainerSupport.threads(threads);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + " exists and is not a directory; name a model directory to write");
        }
        boolean created = !Files.exists(out);
        try {
            return export();
        } catch (Exception | Error x) {
            if (created) {
                deleteTree(out); // a failed export leaves no half-made model directory behind
            }
            throw x;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Integer export() throws Exception {
        ModelExport e = new ModelExport(run, out).checkpoint(checkpoint);
        if (testData != null) {
            e.optTestData(testData);
        }
        if (sceneAgeData != null) {
            e.optSceneAgeTestData(sceneAgeData);
        }
        if (modelId != null) {
            e.optModelId(modelId);
        }
        if (horizon != null) {
            e.optHorizon(horizon);
        }
        if (decoderRun != null) {
            e.optDecoderRun(decoderRun);
        }
        e.optCalibrate(!noCalibration);
        ModelExport.Result r = e.export();
        var o = spec.commandLine().getOut();
        o.printf("exported %s to %s%n", r.spec().modelId(), r.dir());
        double[] mse = r.evaluation().mse();
        StringBuilder steps = new StringBuilder();
        for (int step : ModelExport.reportedSteps(mse.length)) {
            steps.append(String.format(java.util.Locale.ROOT, ", mse@%d %.3e", step, mse[step - 1]));
        }
        o.printf("test: edge accuracy %.4f (permutation-invariant %.4f)%s; ONNX parity %.2e%n",
                r.evaluation().edgeAccuracy(), r.evaluation().edgeAccuracyPermutation(), steps, r.parityMaxAbsDiff());
        EdgeCalibration c = r.spec().calibration();
        if (!c.isIdentity()) {
            o.printf("edge probabilities: temperature %.3f, expected calibration error on validation %.4f -> %.4f, "
                    + "on test %.4f%n", c.temperature(), c.eceBefore(), c.eceAfter(),
                    r.evaluation().calibrationError());
        }
        o.flush();
        return 0;
    }
}
