package dev.nristream.cli;

import dev.nristream.analytics.AnalyticsCommand;
import dev.nristream.demo.ConsoleView;
import dev.nristream.demo.DemoPipeline;
import dev.nristream.demo.DemoPlan;
import dev.nristream.demo.DemoSettings;
import dev.nristream.demo.DemoSummary;
import dev.nristream.demo.LiveSnapshot;
import dev.nristream.demo.Scenario;
import dev.nristream.replay.Speed;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri demo}: the whole pipeline on one machine with a live console view.
 *
 * <pre>{@code
 * ./nri demo                                   # 8 simulated springs scenes, models/springs5-live, until Ctrl-C
 * ./nri demo --scenes 3 --duration 2m --summary demo.json
 * ./nri demo --scenario mocap --model models/mocap35
 * ./nri demo --scenario charged                # simulated charged particles, models/charged5
 * ./nri demo --scenario kuramoto               # simulated phase oscillators, models/kuramoto5
 * ./nri demo --bootstrap localhost:9092 --registry http://localhost:8081
 * }</pre>
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the whole pipeline on this machine, with a live view: an embedded KRaft",
            "Kafka broker, the schema registry (Apicurio, child process), the stream job",
            "on a local Flink MiniCluster, the Kafka Streams analytics and a feed.",
            "The view shows per scene the strongest inferred edges and, for simulated",
            "scenes, the edge accuracy against the ground truth; the forecast error by",
            "step; throughput, lag and dead letters.",
            "Edge accuracy is permutation-invariant: unsupervised edge types carry no",
            "fixed meaning, so each is matched to the true label that fits best (one",
            "assignment for all scenes).",
            "Scenarios: springs (default; K simulated springs scenes, models/springs5-live),",
            "charged (K simulated charged-particle scenes, models/charged5),",
            "kuramoto (K simulated Kuramoto scenes, oscillators as points on the unit circle,",
            "models/kuramoto5),",
            "mocap (CMU subject 35 from --data, scored by models/mocap35),",
            "sportvu [GAME.json] (scored by models/nba; without a file the real Cleveland",
            "test plays of ../shared/data/nba-tracking, as ./nri nba game writes them).",
            "Durations: 40s, 2m, 500ms or ISO-8601 (PT2M)."
        })
public final class DemoCommand implements Callable<Integer> {

    /** Exit code when the pipeline failed while running (a service or the job stopped). */
    static final int PIPELINE_FAILED_EXIT = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "springs",
            description = "springs, charged, kuramoto, mocap or sportvu (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Parameters(arity = "0..1", paramLabel = "GAME.json", description = "SportVU game file (--scenario sportvu; default: the real Cleveland test plays).")
    Path sportvuFile;

    @Option(names = "--scenes", defaultValue = "" + DemoSettings.DEFAULT_SCENES,
            description = "Simulated scenes side by side (springs, charged, kuramoto; default: ${DEFAULT-VALUE}).")
    int scenes;

    @Option(names = "--seed", defaultValue = "" + DemoSettings.DEFAULT_SEED,
            description = "Seed of the simulated scenes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory (default: models/springs5-live; mocap: models/mocap35).")
    Path model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Mocap: CMU subject directory (default: ../shared/data/cmu-mocap/subject35 beside "
                    + "the project).")
    Path data;

    @Option(names = "--speed", defaultValue = "1",
            description = "Feed speed: 1 = real time, N = N times faster (default: ${DEFAULT-VALUE}).")
    String speed;

    @Option(names = "--duration", converter = AnalyticsCommand.DurationConverter.class,
            description = "Stop by itself after the feed has run this long (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--summary", paramLabel = "FILE", description = "Write a JSON summary here at the end.")
    Path summary;

    @Option(names = "--bootstrap", description = "Use this Kafka instead of an embedded broker.")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "With --bootstrap: Kafka client "
            + "properties of a secured cluster (security.protocol, sasl.*, ssl.*) and the registry's credentials "
            + "(basic.auth.user.info or bearer.auth.token).")
    Path kafkaConfig;

    @Option(names = "--registry", description = "Use this schema registry (Confluent API; Apicurio: "
            + "http://host:8080/apis/ccompat/v7) instead of an embedded one.")
    String registry;

    @Option(names = "--partitions", defaultValue = "" + DemoSettings.DEFAULT_PARTITIONS,
            description = "Partitions of the topics the demo creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--http-port", defaultValue = "" + DemoSettings.DEFAULT_HTTP_PORT,
            description = "Port of the analytics' HTTP endpoints, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--job", paramLabel = "KEY=VALUE",
            description = "A stream job setting (./nri job --settings lists them), e.g. --job stride=5; repeatable.")
    Map<String, String> job = new LinkedHashMap<>();

    @Option(names = "--refresh", defaultValue = "1s", converter = AnalyticsCommand.DurationConverter.class,
            description = "How often the view is redrawn (default: ${DEFAULT-VALUE}).")
    Duration refresh;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Where log lines go while the view owns the console (default: cli/target/demo.log).")
    Path log;

    @Option(names = "--plain", description = "Print one status line per refresh instead of redrawing the screen "
            + "(the default when the output is not a terminal).")
    boolean plain;

    @Override
    public Integer call() throws Exception {
        long startMs = commandStartMs();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoSettings.Builder b = DemoSettings.builder()
                .setProjectRoot(projectRoot())
                .withScenario(Scenario.parse(scenario))
                .withScenes(scenes)
                .withSeed(seed)
                .withModel(model)
                .withMocapDir(data)
                .withSportvuFile(sportvuFile)
                .withSpeed(Speed.parse(speed))
                .withDuration(duration)
                .withBootstrap(bootstrap)
                .withRegistry(registry)
                .withKafkaConfig(kafkaConfig)
                .withPartitions(partitions)
                .withHttpPort(httpPort)
                .withRefresh(refresh)
                .withStartMs(startMs)
                .withLogFile(log);
        job.forEach(b::withJobSetting);
        DemoSettings settings = b.build();
        DemoPlan plan = DemoPlan.resolve(settings);

        out.printf(Locale.ROOT, "nri demo: %s; model %s%n", plan.description(), plan.model().spec().describe());
        out.flush();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                // Let the main thread stop the services and print the summary before the JVM ends.
                done.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nri-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(settings, plan, out, err, stop);
        } catch (LinkageError e) {
            // A class could not be loaded mid-run: the CLI jar was rebuilt under this JVM (./nri rebuilds it when
            // sources change). Returning lets Nri.main exit; otherwise the broker's threads would keep the JVM up.
            err.println("nri demo: stopped: " + e + " (was the CLI rebuilt while the demo ran?)");
            err.flush();
            return PIPELINE_FAILED_EXIT;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and has just been released.
            }
        }
    }

    private int run(DemoSettings settings, DemoPlan plan, PrintWriter out, PrintWriter err, AtomicBoolean stop)
            throws Exception {
        String problem = null;
        LiveSnapshot last;
        Map<String, Object> context;
        try (DemoPipeline p = new DemoPipeline(settings, plan, out)) {
            try {
                p.start();
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                err.println("nri demo: could not start: " + e.getMessage());
                err.flush();
                return PIPELINE_FAILED_EXIT;
            }
            ConsoleView view = new ConsoleView(out, !plain && isTerminal(), List.of(
                    String.format(Locale.ROOT, "nri demo · %s · model %s", plan.description(),
                            plan.model().spec().describe()),
                    String.format(Locale.ROOT, "Kafka %s · registry %s · Flink local MiniCluster · analytics "
                            + "http://127.0.0.1:%d/scenes · web view http://127.0.0.1:%d/", p.bootstrap(), p.registryUrl(),
                            p.analyticsPort(), p.analyticsPort())));
            view.start();
            long feedStart = System.currentTimeMillis();
            long deadline = settings.duration() == null ? Long.MAX_VALUE
                    : feedStart + settings.duration().toMillis();
            long next = feedStart;
            while (!stop.get() && System.currentTimeMillis() < deadline) {
                next += settings.refresh().toMillis();
                while (!stop.get() && System.currentTimeMillis() < Math.min(next, deadline)) {
                    Thread.sleep(50);
                }
                long now = System.currentTimeMillis();
                view.render(p.stats().snapshot(now), footer(now, deadline));
                problem = p.problem();
                if (problem != null) {
                    break;
                }
            }
            out.println(stop.get() ? "stopping (Ctrl-C)..." : "stopping...");
            out.flush();
            last = p.finish();
            context = p.context();
            context.put("outcome", problem != null ? "failed: " + problem
                    : stop.get() ? "interrupted" : "completed");
            view.renderFinal(last);
        }
        Double first = last.secondsToFirstGraph();
        out.println(first == null ? "no graph was produced"
                : String.format(Locale.ROOT, "first graph %.1f s after the command started", first));
        if (summary != null) {
            DemoSummary.write(summary, last, context);
            out.println("summary written to " + summary);
        }
        out.flush();
        if (problem != null) {
            err.println("nri demo: " + problem);
            err.flush();
            return PIPELINE_FAILED_EXIT;
        }
        return 0;
    }

    private static String footer(long now, long deadline) {
        return deadline == Long.MAX_VALUE ? "Ctrl-C to stop"
                : String.format(Locale.ROOT, "Ctrl-C to stop · stops by itself in %d s",
                        Math.max(0, (deadline - now + 999) / 1000));
    }

    /**
     * The JVM's start when it was launched for this command (./nri), so start-up counts towards the time to the
     * first graph; now when the JVM has been running for a while (a test calling the command).
     */
    private static long commandStartMs() {
        long now = System.currentTimeMillis();
        long jvm = ManagementFactory.getRuntimeMXBean().getStartTime();
        return now - jvm < 30_000 ? jvm : now;
    }

    private static Path projectRoot() {
        String root = System.getProperty("nri.project.root");
        return (root == null || root.isBlank() ? Path.of("") : Path.of(root)).toAbsolutePath().normalize();
    }

    /** Redraw in place only on a real terminal; pipes, CI logs and tests get status lines. */
    private static boolean isTerminal() {
        String term = System.getenv("TERM");
        return System.console() != null && (term == null || !term.equals("dumb"));
    }
}
