package dev.nristream.analytics;

/**
 * Per scene: the latest frame time seen (null before the first frame) and the wall-clock time of the scene's
 * last record, which tells when it has ended.
 */
record SceneClock(Long maxFrameTimeMs, long lastWallMs) {
}
