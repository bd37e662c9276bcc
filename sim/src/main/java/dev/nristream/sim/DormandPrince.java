package dev.nristream.sim;

/**
 * The Dormand-Prince 5(4) adaptive Runge-Kutta method (DOPRI5, as in Hairer, Norsett and Wanner, with its step
 * size control), integrating to exact output times. The step size carries over between calls; the work arrays are
 * allocated once. Not thread-safe.
 */
final class DormandPrince {
    /** Right-hand side dy/dt = f(t, y). */
    interface Derivative {
        void eval(double t, double[] y, double[] dydt);
    }

    private static final double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private static final double A21 = 1.0 / 5;
    private static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561,
            A54 = -212.0 / 729;
    private static final double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176,
            A65 = -5103.0 / 18656;
    private static final double A71 = 35.0 / 384, A73 = 500.0 / 1113, A74 = 125.0 / 192, A75 = -2187.0 / 6784,
            A76 = 11.0 / 84;
    private static final double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200,
            E6 = 22.0 / 525, E7 = -1.0 / 40;
    // Step control constants of Hairer's DOPRI5 (safety, factor bounds, Lund stabilisation beta = 0.04).
    private static final double SAFE = 0.9, FAC_MIN = 0.2, FAC_MAX = 10.0, BETA = 0.04, EXPO1 = 0.2 - BETA * 0.75;
    private static final int MAX_STEPS = 100_000;

    private final Derivative f;
    private final int n;
    private final double rtol;
    private final double atol;
    private final double[] k1, k2, k3, k4, k5, k6, k7, yStage, yNew;
    private double h;
    private double facOld = 1e-4;
    private boolean k1Valid;
    private long steps;

    DormandPrince(Derivative f, int n, double rtol, double atol) {
        this.f = f;
        this.n = n;
        this.rtol = rtol;
        this.atol = atol;
        k1 = new double[n];
        k2 = new double[n];
        k3 = new double[n];
        k4 = new double[n];
        k5 = new double[n];
        k6 = new double[n];
        k7 = new double[n];
        yStage = new double[n];
        yNew = new double[n];
    }

    /** Accepted plus rejected steps so far. */
    long steps() {
        return steps;
    }

    /** Integrates {@code y} in place from {@code t0} to {@code t1} (> t0). */
    void integrate(double[] y, double t0, double t1) {
        if (!k1Valid) {
            f.eval(t0, y, k1);
            k1Valid = true;
        }
        double span = t1 - t0;
        if (h <= 0) {
            h = initialStep(y, t0, span);
        }
        double t = t0;
        boolean rejected = false;
        int guard = 0;
        while (t < t1) {
            if (++guard > MAX_STEPS) {
                throw new IllegalStateException("Dormand-Prince: more than " + MAX_STEPS + " steps in [" + t0 + ", " + t1
                        + "]; the system is too stiff for this solver");
            }
            boolean last = t + h * 1.0000001 >= t1;
            double step = last ? t1 - t : h;
            double err = attempt(y, t, step);
            steps++;
            double fac11 = Math.pow(err, EXPO1);
            double fac = fac11 / Math.pow(facOld, BETA);
            fac = Math.max(1 / FAC_MAX, Math.min(1 / FAC_MIN, fac / SAFE));
            double hNew = step / fac;
            if (err <= 1.0) {
                facOld = Math.max(err, 1e-4);
                t = last ? t1 : t + step;
                System.arraycopy(yNew, 0, y, 0, n);
                System.arraycopy(k7, 0, k1, 0, n); // first same as last
                if (rejected) {
                    hNew = Math.min(hNew, step);
                }
                rejected = false;
                // A step shortened only to land on t1 says nothing about the right size: keep the previous one.
                h = last && step < h ? Math.max(h, hNew) : hNew;
            } else {
                h = step / Math.min(1 / FAC_MIN, fac11 / SAFE);
                rejected = true;
            }
            if (h < 1e-14 * Math.max(1.0, Math.abs(t))) {
                throw new IllegalStateException("Dormand-Prince: step size underflow at t=" + t);
            }
        }
    }

    /** One trial step from (t, y) of size h: fills yNew and k7, returns the scaled error norm. */
    private double attempt(double[] y, double t, double h) {
        for (int i = 0; i < n; i++) {
            yStage[i] = y[i] + h * A21 * k1[i];
        }
        f.eval(t + C2 * h, yStage, k2);
        for (int i = 0; i < n; i++) {
            yStage[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
        }
        f.eval(t + C3 * h, yStage, k3);
        for (int i = 0; i < n; i++) {
            yStage[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
        }
        f.eval(t + C4 * h, yStage, k4);
        for (int i = 0; i < n; i++) {
            yStage[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
        }
        f.eval(t + C5 * h, yStage, k5);
        for (int i = 0; i < n; i++) {
            yStage[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
        }
        f.eval(t + h, yStage, k6);
        for (int i = 0; i < n; i++) {
            yNew[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
        }
        f.eval(t + h, yNew, k7);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            double sk = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
            sum += (e / sk) * (e / sk);
        }
        return Math.sqrt(sum / n);
    }

    /** Hairer's starting step heuristic (HINIT), using k1 = f(t, y). */
    private double initialStep(double[] y, double t, double hMax) {
        double dnf = 0;
        double dny = 0;
        for (int i = 0; i < n; i++) {
            double sk = atol + rtol * Math.abs(y[i]);
            dnf += (k1[i] / sk) * (k1[i] / sk);
            dny += (y[i] / sk) * (y[i] / sk);
        }
        double h0 = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
        h0 = Math.min(h0, hMax);
        for (int i = 0; i < n; i++) {
            yStage[i] = y[i] + h0 * k1[i];
        }
        f.eval(t + h0, yStage, k2);
        double der2 = 0;
        for (int i = 0; i < n; i++) {
            double sk = atol + rtol * Math.abs(y[i]);
            double d = (k2[i] - k1[i]) / sk;
            der2 += d * d;
        }
        der2 = Math.sqrt(der2) / h0;
        double der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
        double h1 = der12 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / der12, 1.0 / 5);
        return Math.min(Math.min(100 * h0, h1), hMax);
    }
}
