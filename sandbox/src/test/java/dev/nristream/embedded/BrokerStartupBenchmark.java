package dev.nristream.embedded;

import java.util.Arrays;

/**
 * Benchmark (not a test): how long {@link EmbeddedKafka#start()} takes until the broker answers, as the tests and
 * the demo see it. Run one start per fresh JVM for the number that matters (a test JVM or the demo starts one
 * broker); more starts in one JVM show the warm cost. Method and numbers: docs/BENCHMARKS.md.
 *
 * <pre>{@code
 * java -cp common/target/test-classes:common/target/classes:$(cat /tmp/common.cp) \
 *     dev.nristream.embedded.BrokerStartupBenchmark 1
 * }</pre>
 */
public final class BrokerStartupBenchmark {

    private BrokerStartupBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
                kafka.createTopics(1, "bench.start." + i);
            }
            System.out.printf("start %d: %d ms%n", i + 1, ms[i]);
        }
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("first %d ms, median %d ms, min %d ms, max %d ms%n", ms[0], sorted[n / 2], sorted[0],
                sorted[n - 1]);
    }
}
