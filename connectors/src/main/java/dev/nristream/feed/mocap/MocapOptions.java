package dev.nristream.feed.mocap;

/**
 * How a CMU trial becomes frames.
 *
 * @param metres convert ASF length units to metres ({@link AsfSkeleton#metresPerUnit()})
 * @param fps output rate; 0 keeps the native rate. Must divide the native rate so frames stay evenly spaced and
 *     {@code sampling_rate_hz} exact
 * @param sceneId scene id override; null derives {@code cmu-<trial>} from the AMC file name
 */
public record MocapOptions(boolean metres, int fps, String sceneId) {

    /** CMU captures at 120 frames per second. */
    public static final int NATIVE_FPS = 120;

    public MocapOptions {
        if (fps < 0 || fps > NATIVE_FPS || (fps > 0 && NATIVE_FPS % fps != 0)) {
            throw new IllegalArgumentException("fps must divide " + NATIVE_FPS
                    + " (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 40, 60, 120), got " + fps);
        }
    }

    /** ASF units, native 120 Hz, derived scene id. */
    public static MocapOptions defaults() {
        return new MocapOptions(false, 0, null);
    }

    /** Keep one frame in this many. */
    public int stride() {
        return fps == 0 ? 1 : NATIVE_FPS / fps;
    }

    /** The output sampling rate in Hz, exact. */
    public double samplingRateHz() {
        return (double) NATIVE_FPS / stride();
    }

    public MocapOptions withMetres(boolean m) {
        return new MocapOptions(m, fps, sceneId);
    }

    public MocapOptions withFps(int f) {
        return new MocapOptions(metres, f, sceneId);
    }

    public MocapOptions withSceneId(String s) {
        return new MocapOptions(metres, fps, s);
    }
}
