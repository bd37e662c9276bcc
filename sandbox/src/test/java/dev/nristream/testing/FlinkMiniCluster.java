package dev.nristream.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving every test class of a JVM one Flink {@link MiniCluster} (1 task manager,
 * {@value #SLOTS} slots), started before the first class that uses it and closed at the end of the run. During
 * each test {@code StreamExecutionEnvironment.getExecutionEnvironment()} submits to it, so a job class's
 * {@code main}-style code runs unchanged.
 *
 * <pre>{@code
 * @ExtendWith({RealServices.class, FlinkMiniCluster.class})
 * class JobIT {
 *     @Test void runs() throws Exception {
 *         StreamExecutionEnvironment env = FlinkMiniCluster.environment(2);
 *         env.fromData(1, 2, 3).print();
 *         env.execute("smoke");
 *     }
 * }
 * }</pre>
 */
public final class FlinkMiniCluster implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

    /** Task slots of the one task manager: the most parallelism a test job can ask for. */
    public static final int SLOTS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(FlinkMiniCluster.class);
    private static final Object LOCK = new Object();
    private static volatile Holder holder;

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        synchronized (LOCK) {
            holder = store.getOrComputeIfAbsent(Holder.class, k -> Holder.start(), Holder.class);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestStreamEnvironment.setAsContext(cluster(), SLOTS);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestStreamEnvironment.unsetAsContext();
    }

    /** The shared cluster. */
    public static MiniCluster cluster() {
        Holder h = holder;
        if (h == null) {
            throw new IllegalStateException("FlinkMiniCluster is not started: annotate the test class with "
                    + "@ExtendWith(FlinkMiniCluster.class)");
        }
        return h.cluster;
    }

    /** A fresh environment submitting to the shared cluster with the given default parallelism. */
    public static StreamExecutionEnvironment environment(int parallelism) {
        if (parallelism < 1 || parallelism > SLOTS) {
            throw new IllegalArgumentException("parallelism must be 1.." + SLOTS + ", got " + parallelism);
        }
        return new TestStreamEnvironment(cluster(), parallelism);
    }

    static final class Holder implements ExtensionContext.Store.CloseableResource {
        final MiniCluster cluster;

        private Holder(MiniCluster cluster) {
            this.cluster = cluster;
        }

        static Holder start() {
            long t0 = System.nanoTime();
            Configuration conf = new Configuration();
            // Small memory budget: tests share 2 cores and a 3 GB heap with a broker.
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.ADDRESS, "127.0.0.1");
            conf.set(RestOptions.BIND_PORT, "0");
            MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                    .setConfiguration(conf)
                    .setNumTaskManagers(1)
                    .setNumSlotsPerTaskManager(SLOTS)
                    .withRandomPorts()
                    .build());
            try {
                cluster.start();
            } catch (Exception e) {
                throw new IllegalStateException("Flink MiniCluster did not start: " + e, e);
            }
            LOG.info("Flink MiniCluster (1 TM, {} slots) started in {} ms", SLOTS,
                    (System.nanoTime() - t0) / 1_000_000);
            return new Holder(cluster);
        }

        @Override
        public void close() throws Exception {
            holder = null;
            cluster.close();
        }
    }
}
