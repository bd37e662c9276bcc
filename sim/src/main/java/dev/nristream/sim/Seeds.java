package dev.nristream.sim;

import java.util.SplittableRandom;

/**
 * Seeds every simulation from (run seed, index) alone, so a scene is the same whichever thread computes it and
 * however many threads there are.
 */
public final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** The random source of simulation {@code index} of a run. */
    public static SplittableRandom forScene(long runSeed, long index) {
        return new SplittableRandom(mix(runSeed, index));
    }

    /** Mixes two longs into a well-spread seed (SplitMix64 finaliser applied twice). */
    public static long mix(long a, long b) {
        return mix64(mix64(a) + GOLDEN * (b + 1));
    }

    /** SplitMix64's finaliser (Stafford's variant 13): a bijection that spreads every input bit. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
