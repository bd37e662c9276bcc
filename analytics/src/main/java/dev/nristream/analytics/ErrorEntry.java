package dev.nristream.analytics;

/** One step error inside the rolling window, kept so that it can be taken out of the sums when it leaves. */
record ErrorEntry(int step, double error) {
}
