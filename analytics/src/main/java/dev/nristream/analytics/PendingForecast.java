package dev.nristream.analytics;

import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.TrajectoryForecast;
import java.util.ArrayList;
import java.util.List;

/**
 * A forecast some of whose steps still wait for their actual frames. Coordinates are [agent][step - 1]; {@code z}
 * is null for 2D forecasts. {@code nextStep} is the first undecided step (steps are decided in order, since their
 * times increase).
 */
record PendingForecast(String modelId, long originTimeMs, long originFrame, double stepPeriodMs, int horizon,
        List<String> ids, double[][] x, double[][] y, double[][] z, int nextStep) {

    /**
     * Reads a forecast, or throws naming what is malformed.
     *
     * @throws IllegalArgumentException when the horizon or period is not positive or an agent's arrays do not
     *     have one entry per step
     */
    static PendingForecast of(TrajectoryForecast f) {
        int h = f.getHorizon();
        if (h < 1) {
            throw new IllegalArgumentException("horizon " + h + " is not positive");
        }
        if (!(f.getStepPeriodMs() > 0) || Double.isInfinite(f.getStepPeriodMs())) {
            throw new IllegalArgumentException("step_period_ms " + f.getStepPeriodMs() + " is not a positive number");
        }
        List<AgentForecast> agents = f.getAgents();
        int n = agents.size();
        List<String> ids = new ArrayList<>(n);
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        boolean threeD = n > 0 && agents.stream().allMatch(a -> a.getZ() != null);
        double[][] z = threeD ? new double[n][] : null;
        for (int i = 0; i < n; i++) {
            AgentForecast a = agents.get(i);
            ids.add(a.getAgentId());
            x[i] = steps(a.getX(), h, a.getAgentId(), "x");
            y[i] = steps(a.getY(), h, a.getAgentId(), "y");
            if (threeD) {
                z[i] = steps(a.getZ(), h, a.getAgentId(), "z");
            }
        }
        return new PendingForecast(f.getModelId(), f.getOriginTimeMs(), f.getOriginFrame(), f.getStepPeriodMs(), h,
                ids, x, y, z, 1);
    }

    private static double[] steps(List<Double> values, int horizon, String agent, String axis) {
        if (values.size() != horizon) {
            throw new IllegalArgumentException("agent '" + agent + "' has " + values.size() + " " + axis
                    + " values for horizon " + horizon);
        }
        double[] out = new double[horizon];
        for (int i = 0; i < horizon; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** Event time step {@code k} (1-based) predicts. */
    long targetTimeMs(int k) {
        return originTimeMs + Math.round(k * stepPeriodMs);
    }

    PendingForecast withNextStep(int k) {
        return new PendingForecast(modelId, originTimeMs, originFrame, stepPeriodMs, horizon, ids, x, y, z, k);
    }
}
