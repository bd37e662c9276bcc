package dev.nristream.trainer.bench;

import java.lang.management.ManagementFactory;

/** CPU time of the whole process, native engine threads included. */
final class ProcessCpu {
    private ProcessCpu() {}

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
