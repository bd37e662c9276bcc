package dev.nristream.analytics;

/** The error of one forecast step against one actual frame, before it becomes a record. */
record StepError(double meanError, double maxError, int compared, int missing, int dimensions) {

    /**
     * Compares step {@code k} (1-based) of {@code forecast} with {@code actual}: per agent of the forecast present
     * in the frame, the Euclidean distance (with z when both carry it), then mean and max over those agents.
     * Agents absent from the frame, or with a non-finite prediction or position, count as missing.
     */
    static StepError compare(PendingForecast forecast, int k, FrameSnapshot actual) {
        boolean threeD = forecast.z() != null && actual.z() != null;
        double sum = 0;
        double max = 0;
        int compared = 0;
        int missing = 0;
        for (int i = 0; i < forecast.ids().size(); i++) {
            int j = actual.indexOf(forecast.ids().get(i));
            if (j < 0) {
                missing++;
                continue;
            }
            double dx = forecast.x()[i][k - 1] - actual.x()[j];
            double dy = forecast.y()[i][k - 1] - actual.y()[j];
            double dz = threeD ? forecast.z()[i][k - 1] - actual.z()[j] : 0.0;
            double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
            if (!Double.isFinite(d)) {
                missing++;
                continue;
            }
            sum += d;
            max = Math.max(max, d);
            compared++;
        }
        return new StepError(compared == 0 ? Double.NaN : sum / compared, max, compared, missing, threeD ? 3 : 2);
    }
}
