package dev.nristream.job.window;

import dev.nristream.job.WindowTask;
import java.io.Serializable;

/**
 * Test-only hook to fail the job at a chosen point (to prove restore from a checkpoint). Production jobs use
 * {@link #NONE}.
 */
public interface FailureInjector extends Serializable {

    /** Never fails. */
    FailureInjector NONE = new FailureInjector() {
        private static final long serialVersionUID = 1L;

        @Override
        public void beforeWindow(WindowTask task) {
        }
    };

    /** Called before each window is emitted; throwing fails the task. */
    void beforeWindow(WindowTask task) throws Exception;

    /** Called when a checkpoint completes. */
    default void checkpointCompleted(long checkpointId) {
    }
}
