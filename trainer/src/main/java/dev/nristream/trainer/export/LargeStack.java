package dev.nristream.trainer.export;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs ONNX Runtime work on a thread with a 64 MiB stack. ONNX Runtime 1.29 needs more than the JVM's default
 * 1 MiB thread stack when it creates a session here (the process dies with SIGSEGV, no Java exception), so
 * callers that cannot control {@code -Xss} go through this.
 */
public final class LargeStack {
    static final long STACK_BYTES = 64L << 20;

    private LargeStack() {}

    public static <T> T call(Callable<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(work.call());
            } catch (Throwable ex) {
                error.set(ex);
            }
        }, "onnxruntime-large-stack", STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for ONNX Runtime", ex);
        }
        Throwable ex = error.get();
        if (ex instanceof RuntimeException re) {
            throw re;
        }
        if (ex instanceof Error er) {
            throw er;
        }
        if (ex != null) {
            throw new IllegalStateException(ex);
        }
        return result.get();
    }
}
