package dev.nristream.demo;

import dev.nristream.job.JobConfig;
import dev.nristream.job.NriStreamJob;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The stream job on a Flink MiniCluster in this JVM. The cluster starts in the background as soon as the object
 * exists (it needs neither Kafka nor the registry, so it comes up while they do); {@link #submit} then builds the
 * job with {@link NriStreamJob#fromConfig} and submits it over the cluster's REST endpoint, as to any cluster. The
 * job's classes are on this JVM's class path, so no jar is shipped.
 *
 * <pre>{@code
 * try (LocalFlinkJob flink = new LocalFlinkJob(tmp, 1)) {
 *     flink.submit(jobConfig);
 *     String problem = flink.problem();   // null while the job runs
 * }                                       // job cancelled, cluster stopped
 * }</pre>
 */
final class LocalFlinkJob implements AutoCloseable {

    private final CompletableFuture<MiniCluster> cluster;
    private volatile NriStreamJob job;
    private volatile JobClient client;

    /**
     * @param tmpDir the cluster's working directories (deleted by the caller)
     * @param slots task slots: the job's parallelism
     */
    LocalFlinkJob(Path tmpDir, int slots) {
        this.cluster = CompletableFuture.supplyAsync(() -> startCluster(tmpDir, slots), DemoPipeline.STARTER);
    }

    private static MiniCluster startCluster(Path tmpDir, int slots) {
        Configuration c = new Configuration();
        c.set(CoreOptions.TMP_DIRS, tmpDir.toString());
        MiniCluster m = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(c)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(Math.max(1, slots))
                .withRandomPorts()
                .build());
        try {
            Files.createDirectories(tmpDir);
            m.start();
            return m;
        } catch (Exception e) {
            m.closeAsync();
            throw new IllegalStateException("cannot start the Flink MiniCluster: " + DemoPipeline.rootMessage(e), e);
        }
    }

    /**
     * Builds the job and submits it; returns once the cluster has accepted it.
     *
     * @throws IllegalArgumentException for bad job settings
     * @throws IllegalStateException when the cluster does not start or refuses the job
     */
    void submit(JobConfig config) {
        job = NriStreamJob.fromConfig(config);
        try {
            URI rest = cluster.join().getRestAddress().get(60, TimeUnit.SECONDS);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(),
                    rest.getPort(), job.flinkConfiguration());
            client = job.executeAsync(env);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Flink job: " + DemoPipeline.rootMessage(e), e);
        }
    }

    /** The job's name ({@code nri-stream (<model id>)}), null before {@link #submit}. */
    String name() {
        return job == null ? null : job.name();
    }

    /** Why the job is no longer running (one line), or null while it runs or is not submitted. */
    String problem() {
        JobClient c = client;
        if (c == null) {
            return null;
        }
        JobStatus st;
        try {
            st = c.getJobStatus().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null; // a slow answer is not a failure
        }
        if (!st.isGloballyTerminalState()) {
            return null;
        }
        String why = st.name();
        try {
            c.getJobExecutionResult().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            why += ": " + DemoPipeline.rootMessage(e);
        }
        return "the Flink job ended (" + why + ")";
    }

    /** Cancels the job, stops the cluster and deletes the client's copies of shipped files. */
    @Override
    public void close() throws Exception {
        JobClient c = client;
        try {
            if (c != null) {
                c.cancel().get(30, TimeUnit.SECONDS);
                c.getJobExecutionResult().handle((r, e) -> null).get(30, TimeUnit.SECONDS);
            }
        } finally {
            cluster.handle((m, e) -> m).get(60, TimeUnit.SECONDS);
            MiniCluster m = cluster.getNow(null);
            if (m != null) {
                m.closeAsync().get(30, TimeUnit.SECONDS);
            }
            if (c != null) {
                deleteCacheCopies(c);
            }
        }
    }

    /**
     * Flink's client zips the model directory it ships through the distributed cache into
     * {@code java.io.tmpdir/flink-distributed-cache-<job id>...} and never deletes it.
     */
    private static void deleteCacheCopies(JobClient c) throws IOException {
        String prefix = "flink-distributed-cache-" + c.getJobID();
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                DemoPipeline.deleteRecursively(p);
            }
        }
    }
}
