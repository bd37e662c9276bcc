package dev.nristream.cli;

import ai.djl.engine.Engine;

/** Shared setup of the trainer commands. */
final class TrainerSupport {
    private TrainerSupport() {}

    /** Sets PyTorch's intra-op threads when asked (otherwise OMP_NUM_THREADS or the engine default applies). */
    static void threads(Integer threads) {
        if (threads != null) {
            if (threads < 1) {
                throw new UserError("--threads must be >= 1, got " + threads);
            }
            Engine.getEngine("PyTorch");
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }
}
