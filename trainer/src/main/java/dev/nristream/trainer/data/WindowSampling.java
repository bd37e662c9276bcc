package dev.nristream.trainer.data;

import java.util.Random;

/**
 * Where in a sample's trajectory a training window starts.
 *
 * <p>The paper trains and tests on the first T steps after a simulation starts, when the particles are still near
 * the origin. A live stream evaluates windows of scenes that have been running for minutes, where unconnected
 * particles have spread over the box: a model trained only on scene starts meets inputs it never saw. {@link #LIVE}
 * draws each window's start uniformly over the whole trajectory (fresh starts every epoch for training, fixed ones
 * for validation so epochs compare), so long simulations give windows of every scene age a stream will see.
 *
 * <pre>{@code
 * int[] starts = WindowSampling.LIVE.starts(batch.length, data.timesteps(), 49, new Random(seed));
 * float[] x = data.gather(batch, starts, 49);
 * }</pre>
 */
public enum WindowSampling {
    /** Windows at random offsets into the trajectory: any scene age (the default). */
    LIVE,
    /** Windows that start when the simulation starts (the paper's protocol, how Table 1 is reproduced). */
    PAPER;

    /** Seed offset that keeps validation starts apart from every training epoch's draws. */
    private static final long VALIDATION_SEED = 0x5eed_0f_da7aL;

    /**
     * Window starts for {@code count} samples of {@code dataSteps} steps each, windows of {@code window} steps.
     *
     * @throws IllegalArgumentException when the samples are shorter than the window
     */
    public int[] starts(int count, int dataSteps, int window, Random rnd) {
        return starts(count, dataSteps, window, rnd, 1.0);
    }

    /**
     * The same with live starts restricted to the first {@code reach} (0, 1] of the possible starts (at least the
     * first): a curriculum that shows young scenes first ({@code ./nri train --windows-ramp}).
     *
     * @throws IllegalArgumentException when the samples are shorter than the window or reach is outside (0, 1]
     */
    public int[] starts(int count, int dataSteps, int window, Random rnd, double reach) {
        if (!(reach > 0 && reach <= 1)) {
            throw new IllegalArgumentException("reach must be in (0, 1], got " + reach);
        }
        if (dataSteps < window) {
            throw new IllegalArgumentException("samples have " + dataSteps + " steps, fewer than the " + window
                    + "-step window");
        }
        int[] s = new int[count];
        if (this == LIVE) {
            int span = Math.max(1, (int) Math.ceil((dataSteps - window + 1) * reach));
            for (int i = 0; i < count; i++) {
                s[i] = rnd.nextInt(span);
            }
        }
        return s;
    }

    /** Fixed starts for a validation split: the same for every epoch of a run (and every run on that split). */
    public int[] validationStarts(int count, int dataSteps, int window) {
        return starts(count, dataSteps, window, new Random(VALIDATION_SEED));
    }

    /** The command-line spelling: {@code live} or {@code paper}. */
    public String flag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
