package dev.nristream.trainer.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Checks a loaded particle dataset before it is used, so a damaged file is an error naming the file and the
 * index rather than a quietly worse result: every loc/vel value must be finite, and the off-diagonal edge labels
 * must be the simulators' values, springs 0/1 or charged -1/+1 (never a mix, never 2 or 0.5).
 *
 * <pre>{@code
 * DatasetValidator.check(NriDataset.files(dir, "test", ""), loc, vel, edges, sims, steps, 2, atoms);
 * }</pre>
 */
public final class DatasetValidator {

    private DatasetValidator() {
    }

    /**
     * @param files loc, vel and edges files, as {@link NriDataset#files} lists them (for the messages)
     * @param loc [sims, T, S, N] values of the loc file (S spatial dimensions, 2 or 3)
     * @param vel [sims, T, S, N] values of the vel file
     * @param edges [sims, N, N] values of the edges file
     * @throws IllegalArgumentException naming the file, the index and the value
     */
    public static void check(List<Path> files, double[] loc, double[] vel, double[] edges, int sims, int steps,
            int dims, int atoms) {
        finite(files.get(0), loc, steps, dims, atoms);
        finite(files.get(1), vel, steps, dims, atoms);
        labels(files.get(2), edges, sims, atoms);
    }

    /**
     * A feature dataset (Kuramoto): every feature finite, labels 0/1.
     *
     * @param feat [sims, N, T, D] values of the feat file
     * @param edges [sims, N, N] values of the edges file
     * @throws IllegalArgumentException naming the file, the index and the value
     */
    public static void checkFeatures(Path featFile, double[] feat, Path edgesFile, double[] edges, int sims,
            int atoms, int steps, int dims) {
        for (int k = 0; k < feat.length; k++) {
            if (!Double.isFinite(feat[k])) {
                int c = k % dims;
                int t = (k / dims) % steps;
                int i = (k / (dims * steps)) % atoms;
                int s = k / (dims * steps * atoms);
                throw new IllegalArgumentException(featFile + " holds " + feat[k] + " at [" + s + ", " + i + ", " + t
                        + ", " + c + "] (simulation " + s + ", oscillator " + i + ", step " + t + ", feature " + c
                        + "): every feature must be finite");
            }
        }
        for (int s = 0; s < sims; s++) {
            for (int i = 0; i < atoms; i++) {
                for (int j = 0; j < atoms; j++) {
                    double v = edges[(s * atoms + i) * atoms + j];
                    if (i != j && v != 0 && v != 1) {
                        throw new IllegalArgumentException(edgesFile + " holds edge label " + v + " at [" + s + ", "
                                + i + ", " + j + "]: Kuramoto couplings must be 0 or 1");
                    }
                }
            }
        }
    }

    private static void finite(Path file, double[] a, int steps, int dims, int atoms) {
        for (int k = 0; k < a.length; k++) {
            if (!Double.isFinite(a[k])) {
                int i = k % atoms;
                int c = (k / atoms) % dims;
                int t = (k / (dims * atoms)) % steps;
                int s = k / (dims * atoms * steps);
                throw new IllegalArgumentException(file + " holds " + a[k] + " at [" + s + ", " + t + ", " + c + ", "
                        + i + "] (simulation " + s + ", step " + t + ", " + "xyz".charAt(c) + ", atom " + i
                        + "): every position and velocity must be finite");
            }
        }
    }

    private static void labels(Path file, double[] e, int sims, int n) {
        String firstZero = null;
        String firstMinusOne = null;
        for (int s = 0; s < sims; s++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i == j) {
                        continue; // the diagonal is no edge: springs write 0, charged q_i^2 = 1
                    }
                    double v = e[(s * n + i) * n + j];
                    String at = "[" + s + ", " + i + ", " + j + "]";
                    if (v == 0) {
                        firstZero = firstZero == null ? at : firstZero;
                    } else if (v == -1) {
                        firstMinusOne = firstMinusOne == null ? at : firstMinusOne;
                    } else if (v != 1) {
                        throw new IllegalArgumentException(file + " holds edge label " + v + " at " + at
                                + ": labels must be 0/1 (springs) or -1/+1 (charged)");
                    }
                    if (firstZero != null && firstMinusOne != null) {
                        throw new IllegalArgumentException(file + " mixes springs labels (0 at " + firstZero
                                + ") with charged labels (-1 at " + firstMinusOne + "): labels must be 0/1 "
                                + "(springs) or -1/+1 (charged)");
                    }
                }
            }
        }
    }
}
