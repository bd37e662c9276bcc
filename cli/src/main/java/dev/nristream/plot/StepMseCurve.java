package dev.nristream.plot;

/**
 * One model's forecast MSE by prediction step: {@code mse[k]} is the MSE {@code k + 1} steps ahead.
 *
 * <pre>{@code
 * StepMseCurve c = StepMseCurve.read(MseCurveArgument.parse("NRI=eval.json:mse"));
 * }</pre>
 */
public record StepMseCurve(String label, double[] mse) {

    /** Reads the array the argument names from its file. */
    public static StepMseCurve read(MseCurveArgument arg) {
        return new StepMseCurve(arg.label(), StepMseFile.read(arg.file()).values(arg.key()));
    }

    /** Prediction steps held, N. */
    public int steps() {
        return mse.length;
    }
}
