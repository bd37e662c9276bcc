package dev.nristream.bench;

import dev.nristream.avro.Agent;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.PositionFrame;
import dev.nristream.bench.StreamBenchmark.BenchTopics;
import dev.nristream.bench.StreamBenchmark.RunningJob;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.embedded.LocalServices;
import dev.nristream.job.JobConfig;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.FrameSample;
import dev.nristream.job.window.SceneWindowState;
import dev.nristream.job.window.SceneWindower;
import dev.nristream.job.window.WindowFeatures;
import dev.nristream.job.window.WindowSpec;
import dev.nristream.model.ModelSpec;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistryConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The benchmark behind {@code ./nri bench faults}, on the stream benchmark's feed, job and reader
 * ({@link BenchFeed}, {@link StreamBenchmark#submitJob}, {@link BenchCollector}) and one {@link LocalServices}:
 *
 * <ol>
 * <li>clean: K scenes at R Hz, all good (the reference);
 * <li>bad: the same rate with a fraction of every tick's records bad, each of the {@link BadKind}s in turn;
 *     good-scene throughput and latency against the clean run, and the count check: every good frame used (none
 *     dead-lettered), every bad record in the DLQ once with its kind (read_committed, matched by source offset),
 *     every window of every good scene once (the windows the job's own {@link SceneWindower} makes from the frames
 *     the broker acknowledged);
 * <li>broker: the clean load with an idempotent feed; the broker is stopped (SIGTERM) for a while and started
 *     again on its log directories while feed and job run; the time from the restart until the end-to-end latency
 *     is back within 1.5x its pre-fault p50, and the count check (each frame once in the topic, each window once).
 * </ol>
 *
 * <pre>{@code
 * FaultsBenchmark.Report r = new FaultsBenchmark(options).run(System.err);
 * r.lines().forEach(System.out::println);
 * }</pre>
 */
public final class FaultsBenchmark {

    /** The bad records of issue 17's list, with the dead-letter kind each must get. */
    public enum BadKind {
        NOT_AVRO("UNDECODABLE"), UNKNOWN_SCHEMA_ID("UNKNOWN_SCHEMA"), TRUNCATED("UNDECODABLE"),
        NAN_OR_INF("NON_FINITE_COORDINATE"), ONE_AGENT("TOO_FEW_AGENTS"), TWO_HUNDRED_AGENTS("TOO_MANY_AGENTS"),
        DUPLICATE("DUPLICATE"), TEN_MINUTES_LATE("LATE"), FROM_THE_FUTURE("FUTURE"),
        AGENT_ID_10_KB("INVALID_FRAME"), TIME_GOING_BACKWARDS("TIME_BACKWARDS");

        final String deadLetterKind;

        BadKind(String deadLetterKind) {
            this.deadLetterKind = deadLetterKind;
        }
    }

    /**
     * @param stream the load (scenes, agents, rate, measured seconds, warm-up, model, job settings)
     * @param badFraction share of each tick's records that are bad in the bad run
     * @param outageSeconds how long the broker is down
     * @param preFaultSeconds measured seconds before the broker stops (the latency reference)
     * @param afterSeconds seconds of load after the restart
     * @param phases which of "clean", "bad", "broker" to run
     * @param jobSettings job settings ({@code JobConfig} keys) for every run's job, e.g. to show what a setting
     *     changes under the bad feed
     */
    public record Options(StreamBenchmark.Options stream, double badFraction, int outageSeconds, int preFaultSeconds,
            int afterSeconds, Set<String> phases, Map<String, String> jobSettings) {
        public Options {
            if (!(badFraction > 0 && badFraction < 1)) {
                throw new IllegalArgumentException("the bad fraction must be in (0, 1), got " + badFraction);
            }
            if (outageSeconds < 1 || preFaultSeconds < 1 || afterSeconds < 5) {
                throw new IllegalArgumentException("need outage >= 1 s, pre-fault >= 1 s, after >= 5 s");
            }
            if (phases.isEmpty() || !Set.of("clean", "bad", "broker").containsAll(phases)) {
                throw new IllegalArgumentException("phases are clean, bad and broker, got " + phases);
            }
        }
    }

    /** Counts that must come out zero. */
    public record CountCheck(long goodFrames, long badRecords, Map<String, Long> badByKind, long deadLetters,
            Map<String, Long> deadLettersByKind, long badMissing, long badTwice, long badWrongKind,
            long unexpectedDeadLetters, long windowsExpected, long windowsSeen, long windowsMissing,
            long windowsTwice, long windowsUnexpected, long topicFramesTwice, long topicFramesMissing,
            long deliveryFailures) {
        public boolean ok() {
            return badMissing == 0 && badTwice == 0 && badWrongKind == 0 && unexpectedDeadLetters == 0
                    && windowsMissing == 0 && windowsTwice == 0 && windowsUnexpected == 0 && topicFramesTwice == 0
                    && topicFramesMissing == 0 && deliveryFailures == 0;
        }

        String line() {
            return String.format(Locale.ROOT, "count check %s: good frames %d (in the DLQ: %d); bad records %d, "
                    + "dead letters %d (missing %d, twice %d, wrong kind %d); windows expected %d, seen %d "
                    + "(missing %d, twice %d, unexpected %d); topic frames missing %d, twice %d; delivery failures %d",
                    ok() ? "PASSED" : "FAILED", goodFrames, unexpectedDeadLetters, badRecords, deadLetters,
                    badMissing, badTwice, badWrongKind, windowsExpected, windowsSeen, windowsMissing, windowsTwice,
                    windowsUnexpected, topicFramesMissing, topicFramesTwice, deliveryFailures);
        }
    }

    /** One load run's figures. */
    public record LoadResult(String name, int goodScenes, double framesPerSecond, double goodFramesPerSecond,
            long graphs, double graphsPerSecond, double latencyP50Ms, double latencyP99Ms, double jobLagP50Ms,
            CountCheck count, String jobStatus) {
        String line() {
            return String.format(Locale.ROOT, "%-6s %8.0f frames/s in (%6.0f good), %5d graphs = %6.2f graphs/s "
                    + "(%.3f per good scene), latency p50 %5.0f ms p99 %5.0f ms (job lag p50 %4.0f ms), job %s", name,
                    framesPerSecond, goodFramesPerSecond, graphs, graphsPerSecond, graphsPerSecond / goodScenes,
                    latencyP50Ms, latencyP99Ms, jobLagP50Ms, jobStatus);
        }
    }

    /** The broker phase's figures. */
    public record BrokerResult(LoadResult load, long stoppedForMs, long restartTookMs, double preFaultP50Ms,
            double maxLatencyMs, double recoveredAfterMs, List<String> timeline) {
    }

    /** Everything measured; {@link #lines()} is the printed report. */
    public record Report(LoadResult clean, LoadResult bad, BrokerResult broker, List<String> lines) {
    }

    private static final long FUTURE_MS = 600_000;
    private static final long LATE_MS = 600_000;
    private static final int REWIND_FRAMES = 10;
    /**
     * Bad records start this long after the good frames: until every partition has brought a frame the job has no
     * watermark, and a frame 10 minutes late cannot be told from the first frame of a recorded replay (it is kept,
     * as a scene of its own, and expires). Well inside the warm-up.
     */
    private static final double BAD_AFTER_S = 3;

    private final Options o;
    private final StreamBenchmark.Options s;

    public FaultsBenchmark(Options options) {
        this.o = options;
        this.s = options.stream();
    }

    /** Runs the phases, logging progress to {@code log}. */
    public Report run(PrintStream log) throws Exception {
        List<String> lines = new ArrayList<>();
        LoadResult clean = null;
        LoadResult bad = null;
        BrokerResult broker = null;
        try (LocalServices services = LocalServices.builder().start()) {
            if (o.phases().contains("clean")) {
                clean = load(services, "faults.clean", false, log);
                lines.add(clean.line());
                lines.add("       " + clean.count().line());
            }
            if (o.phases().contains("bad")) {
                bad = load(services, "faults.bad", true, log);
                lines.add(bad.line());
                lines.add("       " + bad.count().line());
                lines.add("       bad records by kind sent: " + bad.count().badByKind());
                lines.add("       dead letters by kind:     " + bad.count().deadLettersByKind());
            }
            if (o.phases().contains("broker")) {
                broker = brokerRestart(services, log);
                lines.add(broker.load().line());
                lines.add("       " + broker.load().count().line());
                lines.add(String.format(Locale.ROOT, "broker stopped (SIGTERM) for %.1f s, restart took %.1f s; "
                        + "pre-fault latency p50 %.0f ms; worst latency %.0f ms; back within 1.5x p50 (%.0f ms) %s",
                        broker.stoppedForMs() / 1000.0, broker.restartTookMs() / 1000.0, broker.preFaultP50Ms(),
                        broker.maxLatencyMs(), 1.5 * broker.preFaultP50Ms(),
                        Double.isNaN(broker.recoveredAfterMs()) ? "NOT within the run"
                                : String.format(Locale.ROOT, "%.1f s after the restart",
                                        broker.recoveredAfterMs() / 1000.0)));
                lines.add("       latency p50 per second after the stop (s: ms, graphs): "
                        + String.join(" ", broker.timeline()));
            }
        }
        return new Report(clean, bad, broker, lines);
    }

    private LoadResult load(LocalServices services, String prefix, boolean withBad, PrintStream log)
            throws Exception {
        int badPerTick = withBad ? (int) Math.max(1, Math.round(s.scenes() * o.badFraction())) : 0;
        int goodScenes = s.scenes() - badPerTick;
        log.printf("%s: %d good scenes + %d bad records per tick at %s Hz = %.0f records/s; %d s + %d s warm-up%n",
                prefix, goodScenes, badPerTick, s.hz(), s.scenes() * s.hz(), s.seconds(), s.warmupSeconds());
        BenchTopics topics = BenchTopics.withPrefix(prefix);
        topics.create(services, s.partitions());
        RunningJob job = StreamBenchmark.submitJob(services, topics, s, Files.createTempDirectory("nri-faults-"),
                this::jobSettings);
        BenchCollector collector = new BenchCollector(services.bootstrapServers(), services.registryConfig(),
                topics.graphs(), topics.forecasts());
        Thread reader = collector.start(prefix + "-reader");
        BenchFeed feed = new BenchFeed(new BenchFeed.Settings(goodScenes, s.agents(), s.hz(), s.stagger(), true,
                true, true), services.bootstrapServers(), services.registryConfig(), topics.positions());
        BadRecords bad = withBad ? new BadRecords(badPerTick, goodScenes,
                Math.round(BAD_AFTER_S * s.hz())) : null;
        if (bad != null) {
            feed.withExtra(bad);
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(feed::tick, 0, (long) (1e9 / s.hz()), TimeUnit.NANOSECONDS);
        Thread.sleep(s.warmupSeconds() * 1000L);
        long start = System.currentTimeMillis();
        long sent0 = feed.sent.get();
        long good0 = feed.goodSent.get();
        collector.window(start, start + s.seconds() * 1000L);
        sleepLogging(log, prefix, s.seconds(), feed, collector);
        long end = System.currentTimeMillis();
        long sent = feed.sent.get() - sent0;
        long good = feed.goodSent.get() - good0;
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        feed.flush();
        CountCheck count = settle(services, topics, job, feed, collector, bad, false, log);
        String status = job.client().getJobStatus().get(10, TimeUnit.SECONDS).toString();
        collector.stop();
        reader.join(10_000);
        job.client().cancel().get(30, TimeUnit.SECONDS);
        feed.close();
        double secs = (end - start) / 1000.0;
        double[] lat = collector.latencies();
        double[] lag = collector.jobLags();
        return new LoadResult(withBad ? "bad" : "clean", goodScenes, sent / secs, good / secs, collector.graphs.get(),
                collector.graphs.get() / secs, BenchCollector.pct(lat, 50), BenchCollector.pct(lat, 99),
                BenchCollector.pct(lag, 50), count, status);
    }

    private BrokerResult brokerRestart(LocalServices services, PrintStream log) throws Exception {
        EmbeddedKafka kafka = services.kafka();
        String prefix = "faults.broker";
        log.printf("%s: %d scenes at %s Hz, broker down for %d s after %d s measured (+%d s warm-up), then %d s%n",
                prefix, s.scenes(), s.hz(), o.outageSeconds(), o.preFaultSeconds(), s.warmupSeconds(),
                o.afterSeconds());
        BenchTopics topics = BenchTopics.withPrefix(prefix);
        topics.create(services, s.partitions());
        // The job's own defaults for restarts and checkpoint failures: the outage must not need more.
        RunningJob job = StreamBenchmark.submitJob(services, topics, s, Files.createTempDirectory("nri-faults-"),
                this::jobSettings);
        BenchCollector collector = new BenchCollector(services.bootstrapServers(), services.registryConfig(),
                topics.graphs(), topics.forecasts());
        Thread reader = collector.start(prefix + "-reader");
        BenchFeed feed = new BenchFeed(new BenchFeed.Settings(s.scenes(), s.agents(), s.hz(), s.stagger(), true,
                true, true), services.bootstrapServers(), services.registryConfig(), topics.positions());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(feed::tick, 0, (long) (1e9 / s.hz()), TimeUnit.NANOSECONDS);
        Thread.sleep(s.warmupSeconds() * 1000L);
        long start = System.currentTimeMillis();
        long sent0 = feed.sent.get();
        collector.window(start, start + o.preFaultSeconds() * 1000L);
        sleepLogging(log, prefix, o.preFaultSeconds(), feed, collector);
        long stopAt = System.currentTimeMillis();
        long sentAtStop = feed.sent.get();
        kafka.stop();
        log.printf("  broker stopped after %d ms; %d frames sent so far%n", System.currentTimeMillis() - stopAt,
                feed.sent.get());
        Thread.sleep(o.outageSeconds() * 1000L);
        long restartAt = System.currentTimeMillis();
        log.printf("  feed: %d records sent while the broker was down (a send blocks while the producer has no "
                + "metadata), longest tick delay so far %d ms%n", feed.sent.get() - sentAtStop, feed.maxLagMs.get());
        kafka.restart();
        long restarted = System.currentTimeMillis();
        log.printf("  broker restarted in %d ms (down %d ms)%n", restarted - restartAt, restarted - stopAt);
        sleepLogging(log, prefix, o.afterSeconds(), feed, collector);
        long end = System.currentTimeMillis();
        long sent = feed.sent.get() - sent0;
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        feed.flush();
        CountCheck count = settle(services, topics, job, feed, collector, null, true, log);
        String status = job.client().getJobStatus().get(10, TimeUnit.SECONDS).toString();
        collector.stop();
        reader.join(10_000);
        job.client().cancel().get(30, TimeUnit.SECONDS);
        feed.close();

        double[] pre = collector.latencies();
        double p50 = BenchCollector.pct(pre, 50);
        List<BenchCollector.Graph> all = collector.graphsSeen();
        double worst = 0;
        // Per second of receive time from the stop on: p50 latency of the graphs received in it.
        TreeMap<Long, List<Double>> perSecond = new TreeMap<>();
        for (BenchCollector.Graph g : all) {
            if (g.receivedMs() >= stopAt) {
                worst = Math.max(worst, g.latencyMs());
                perSecond.computeIfAbsent((g.receivedMs() - stopAt) / 1000, k -> new ArrayList<>())
                        .add((double) g.latencyMs());
            }
        }
        long lastSecond = (end - stopAt) / 1000;
        List<String> timeline = new ArrayList<>();
        double[] p50s = new double[(int) lastSecond + 1];
        for (int sec = 0; sec <= lastSecond; sec++) {
            List<Double> l = perSecond.getOrDefault((long) sec, List.of());
            p50s[sec] = l.isEmpty() ? Double.NaN : BenchCollector.pct(BenchCollector.sorted(l), 50);
            timeline.add(String.format(Locale.ROOT, "%d:%s/%d", sec, l.isEmpty() ? "-" : String.format(Locale.ROOT,
                    "%.0f", p50s[sec]), l.size()));
        }
        // Recovered from the first second after the restart from which the p50 of the graphs received over the
        // next 5 s is within 1.5x the pre-fault p50 (5 s pooled: one second's p50 is noisy on a shared machine).
        double recovered = Double.NaN;
        long firstGraphAfter = -1;
        for (BenchCollector.Graph g : all) {
            if (g.receivedMs() >= restarted) {
                firstGraphAfter = g.receivedMs() - restarted;
                break;
            }
        }
        int firstAfter = (int) ((restarted - stopAt) / 1000);
        for (int sec = firstAfter; sec + 5 <= lastSecond && Double.isNaN(recovered); sec++) {
            List<Double> pooled = new ArrayList<>();
            for (int k = sec; k < sec + 5; k++) {
                pooled.addAll(perSecond.getOrDefault((long) k, List.of()));
            }
            if (!pooled.isEmpty() && BenchCollector.pct(BenchCollector.sorted(pooled), 50) <= 1.5 * p50) {
                recovered = Math.max(0, stopAt + sec * 1000L - restarted);
            }
        }
        timeline.add(0, "(first graph " + firstGraphAfter + " ms after the restart)");
        double secs = (end - start) / 1000.0;
        LoadResult load = new LoadResult("broker", s.scenes(), sent / secs, sent / secs, collector.graphs.get(),
                collector.graphs.get() / (double) o.preFaultSeconds(), p50, BenchCollector.pct(pre, 99),
                BenchCollector.pct(collector.jobLags(), 50), count, status);
        return new BrokerResult(load, restarted - stopAt, restarted - restartAt, p50, worst, recovered, timeline);
    }

    private JobConfig.Builder jobSettings(JobConfig.Builder b) {
        o.jobSettings().forEach(b::set);
        return b;
    }

    private static long goodAcked(BenchFeed feed) {
        return feed.ackedFrames.values().stream().mapToLong(List::size).sum();
    }

    private static void sleepLogging(PrintStream log, String name, int seconds, BenchFeed feed,
            BenchCollector collector) throws InterruptedException {
        for (int t = 1; t <= seconds; t++) {
            Thread.sleep(1000);
            if (t % 10 == 0 || t == seconds) {
                log.printf("  %s %3d s: %d records sent, %d acknowledged, %d graphs in total%n", name, t,
                        feed.sent.get(), feed.acked.get(), collector.graphsSeen().size());
            }
        }
    }

    /**
     * Waits until the job has caught up (every good window's graph and every bad record's dead letter committed,
     * or nothing new for 20 s), then checks the counts.
     */
    private CountCheck settle(LocalServices services, BenchTopics topics, RunningJob job, BenchFeed feed,
            BenchCollector collector, BadRecords bad, boolean readTopic, PrintStream log) throws Exception {
        Map<String, Set<Long>> expectedWindows = expectedWindows(job, feed);
        long windowsExpected = expectedWindows.values().stream().mapToLong(Set::size).sum();
        long badExpected = bad == null ? 0 : bad.expected.size();
        int seen = -1;
        long quietSince = System.currentTimeMillis();
        List<DeadLetter> dlq = List.of();
        while (System.currentTimeMillis() - quietSince < 20_000) {
            Thread.sleep(2000);
            dlq = readAll(services, topics.dlq(), DeadLetter.class);
            int now = collector.graphsSeen().size() + dlq.size();
            if (now != seen) {
                seen = now;
                quietSince = System.currentTimeMillis();
            }
            if (collector.graphsSeen().size() >= windowsExpected && dlq.size() >= badExpected) {
                Thread.sleep(Math.max(2000, 3 * s.checkpointMs())); // anything more would be a duplicate
                dlq = readAll(services, topics.dlq(), DeadLetter.class);
                break;
            }
            JobStatus st = job.client().getJobStatus().get(10, TimeUnit.SECONDS);
            if (st.isGloballyTerminalState()) {
                log.println("  job ended: " + st);
                break;
            }
        }
        // Bad records: each once in the DLQ, with its kind; nothing else there.
        Map<String, Long> byKind = new TreeMap<>();
        Map<Long, Integer> hits = new HashMap<>();
        long wrongKind = 0;
        long unexpected = 0;
        for (DeadLetter d : dlq) {
            byKind.merge(d.getErrorKind(), 1L, Long::sum);
            long at = position(d.getSourcePartition(), d.getSourceOffset());
            String want = bad == null ? null : bad.expected.get(at);
            if (want == null) {
                unexpected++;
            } else {
                hits.merge(at, 1, Integer::sum);
                if (!want.equals(d.getErrorKind())) {
                    wrongKind++;
                }
            }
        }
        long missing = bad == null ? 0 : bad.expected.keySet().stream().filter(k -> !hits.containsKey(k)).count();
        if (missing > 0) {
            bad.expected.entrySet().stream().filter(e -> !hits.containsKey(e.getKey())).limit(10).forEach(e ->
                    log.printf("  not in the DLQ: a %s record at partition %d offset %d (sent at tick %d)%n",
                            e.getValue(), e.getKey() >>> 48, e.getKey() & ((1L << 48) - 1), bad.ticks.get(e.getKey())));
        }
        long twice = hits.values().stream().filter(n -> n > 1).count();
        // Windows: every expected one once, no other.
        Map<String, Set<Long>> got = new HashMap<>();
        long windowsTwice = 0;
        long windowsSeen = 0;
        for (BenchCollector.Graph g : collector.graphsSeen()) {
            windowsSeen++;
            if (!got.computeIfAbsent(g.scene(), k -> new HashSet<>()).add(g.windowEndMs())) {
                windowsTwice++;
            }
        }
        long windowsMissing = 0;
        long windowsUnexpected = 0;
        for (var e : expectedWindows.entrySet()) {
            Set<Long> g = got.getOrDefault(e.getKey(), Set.of());
            windowsMissing += e.getValue().stream().filter(w -> !g.contains(w)).count();
        }
        for (var e : got.entrySet()) {
            Set<Long> want = expectedWindows.getOrDefault(e.getKey(), Set.of());
            windowsUnexpected += e.getValue().stream().filter(w -> !want.contains(w)).count();
        }
        long good = goodAcked(feed);
        long topicTwice = 0;
        long topicMissing = 0;
        if (readTopic) {
            Map<String, Set<Long>> inTopic = new HashMap<>();
            long records = 0;
            for (PositionFrame f : readAll(services, topics.positions(), PositionFrame.class)) {
                records++;
                if (!inTopic.computeIfAbsent(f.getSceneId(), k -> new HashSet<>()).add(f.getFrameIndex())) {
                    topicTwice++;
                }
            }
            for (var e : feed.ackedFrames.entrySet()) {
                Set<Long> in = inTopic.getOrDefault(e.getKey(), Set.of());
                synchronized (e.getValue()) {
                    topicMissing += e.getValue().stream().filter(f -> !in.contains(f[0])).count();
                }
            }
            log.printf("  positions topic: %d records for %d acknowledged frames%n", records, good);
        }
        log.println("  " + transactions(services, topics.graphs()));
        Map<String, Long> badByKind = bad == null ? Map.of() : new TreeMap<>(bad.sentByKind());
        return new CountCheck(good, badExpected, badByKind, dlq.size(), byKind, missing, twice, wrongKind,
                unexpected, windowsExpected, windowsSeen, windowsMissing, windowsTwice, windowsUnexpected, topicTwice,
                topicMissing, feed.failed.get());
    }

    /** The topic's end offset for read_committed and read_uncommitted readers, and the open transactions. */
    private static String transactions(LocalServices services, String topic) {
        try (org.apache.kafka.clients.admin.Admin admin = services.kafka().admin()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            long committed = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()),
                    new org.apache.kafka.clients.admin.ListOffsetsOptions(
                            org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).partitionResult(tp).get().offset();
            long latest = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                    .partitionResult(tp).get().offset();
            List<String> open = new ArrayList<>();
            for (var t : admin.listTransactions().all().get()) {
                if (t.state() == org.apache.kafka.clients.admin.TransactionState.ONGOING) {
                    open.add(t.transactionalId());
                }
            }
            return topic + ": end offset " + latest + ", last stable (read_committed) " + committed
                    + "; ongoing transactions " + open;
        } catch (Exception e) {
            return topic + ": offsets not read (" + e + ")";
        }
    }

    /**
     * The windows the job makes from each good scene's acknowledged frames, in partition order: its own windower
     * and feature builder, and its rule that a window with fewer than 2 agents left (too many points missing, as
     * when the feed itself stalled) is skipped.
     */
    private static Map<String, Set<Long>> expectedWindows(RunningJob job, BenchFeed feed) {
        ModelSpec spec = job.job().modelSpec();
        JobConfig cfg = job.config();
        WindowSpec ws = new WindowSpec(spec.windowLength(), spec.periodMs(), cfg.strideFor(spec.samplingRateHz()),
                cfg.get(JobConfig.MAX_MISSING_FRACTION), WindowSpec.DEFAULT_MAX_TRAILING_MISSING);
        SceneWindower windower = new SceneWindower(ws);
        FeatureBuilder features = new FeatureBuilder(spec, ws);
        int n = feed.settings.agents();
        String[] ids = new String[n];
        for (int a = 0; a < n; a++) {
            ids[a] = "p" + a;
        }
        double[] zeros = new double[2 * n];
        Map<String, Set<Long>> out = new HashMap<>();
        for (var e : feed.ackedFrames.entrySet()) {
            SceneWindowState st = new SceneWindowState();
            Set<Long> ends = new HashSet<>();
            synchronized (e.getValue()) {
                for (long[] f : e.getValue()) {
                    SceneWindower.Result r = windower.add(st, FrameSample.of(f[0], f[1], 2, ids, zeros, zeros));
                    if (r.window() != null) {
                        WindowFeatures wf = features.build(r.window());
                        if (wf.nodes() >= 2 && spec.acceptsAtoms(wf.nodes())) {
                            ends.add(r.window().endTimeMs());
                        }
                    }
                }
            }
            out.put(e.getKey(), ends);
        }
        return out;
    }

    private static long position(int partition, long offset) {
        return ((long) partition << 48) | offset;
    }

    /** Every committed record of a topic, from the beginning to its end now. */
    private static <V extends org.apache.avro.specific.SpecificRecord> List<V> readAll(LocalServices services,
            String topic, Class<V> type) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        AvroRegistryDeserializer<V> de = new AvroRegistryDeserializer<>(type, services.registryConfig());
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 120_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(de.deserialize(topic, r.value()));
                }
            }
        }
        return out;
    }

    /**
     * Adds {@code perTick} bad records after each tick's good frames, the kinds in turn; remembers the partition
     * and offset of each (from the broker's answer) with the dead-letter kind it must get.
     */
    private static final class BadRecords implements BenchFeed.Extra {
        final Map<Long, String> expected = new ConcurrentHashMap<>();
        final Map<Long, Long> ticks = new ConcurrentHashMap<>();
        final Map<BadKind, Long> sent = new ConcurrentHashMap<>();
        private final int perTick;
        private final int goodScenes;
        private final long startTick;
        private long count;
        private long rewinds;
        private long rewindStartMs;

        BadRecords(int perTick, int goodScenes, long startTick) {
            this.perTick = perTick;
            this.goodScenes = goodScenes;
            this.startTick = startTick;
        }

        Map<String, Long> sentByKind() {
            Map<String, Long> m = new TreeMap<>();
            sent.forEach((k, v) -> m.put(k.name(), v));
            return m;
        }

        @Override
        public void afterTick(BenchFeed feed, long tick, long now) {
            if (tick < startTick) {
                return;
            }
            for (int i = 0; i < perTick; i++) {
                long c = count++;
                BadKind kind = BadKind.values()[(int) (c % BadKind.values().length)];
                String badScene = kind.name().toLowerCase(Locale.ROOT) + "-" + c;
                String scene = badScene;
                Supplier<PositionFrame.Builder> base = () -> PositionFrame.newBuilder(feed.frame(0, tick, now))
                        .setSceneId(badScene);
                byte[] value;
                boolean counts = true;
                switch (kind) {
                    case NOT_AVRO -> value = ("not avro, record " + c).getBytes(StandardCharsets.UTF_8);
                    case UNKNOWN_SCHEMA_ID -> value = new byte[] {0, 0x7f, (byte) 0xff, 0, (byte) (c % 4), 2, 4, 6};
                    case TRUNCATED -> {
                        byte[] whole = feed.serialize(base.get().build());
                        value = java.util.Arrays.copyOf(whole, whole.length / 2);
                    }
                    case NAN_OR_INF -> value = feed.serialize(withAgent(base.get(), 3, a -> c % 2 == 0
                            ? a.setX(Double.NaN) : a.setVy(Double.POSITIVE_INFINITY)));
                    case ONE_AGENT -> {
                        PositionFrame.Builder b = base.get();
                        value = feed.serialize(b.setAgents(b.getAgents().subList(0, 1)).build());
                    }
                    case TWO_HUNDRED_AGENTS -> {
                        List<Agent> crowd = new ArrayList<>();
                        for (int a = 0; a < 200; a++) {
                            crowd.add(Agent.newBuilder().setId("x" + a).setX(a).setY(-a).build());
                        }
                        value = feed.serialize(base.get().setAgents(crowd).build());
                    }
                    case DUPLICATE -> {
                        int sc = (int) ((c * 7) % goodScenes);
                        if (feed.lastFrameBytes(sc) == null) {
                            sc = 0;
                        }
                        scene = BenchFeed.sceneId(sc);
                        value = feed.lastFrameBytes(sc);
                    }
                    case TEN_MINUTES_LATE -> value = feed.serialize(base.get().setEventTimeMs(now - LATE_MS).build());
                    case FROM_THE_FUTURE -> value = feed.serialize(base.get().setEventTimeMs(now + FUTURE_MS).build());
                    case AGENT_ID_10_KB -> value = feed.serialize(withAgent(base.get(), 0,
                            a -> a.setId("a".repeat(10_240))));
                    case TIME_GOING_BACKWARDS -> {
                        // A scene whose frames go back 40 ms each: its first frame is fine on its own (and is
                        // kept), each later one contradicts it.
                        long r = rewinds++;
                        if (r % REWIND_FRAMES == 0) {
                            rewindStartMs = now;
                        }
                        long index = r % REWIND_FRAMES;
                        scene = "rewind-" + r / REWIND_FRAMES;
                        value = feed.serialize(PositionFrame.newBuilder(feed.frame(0, index, now)).setSceneId(scene)
                                .setEventTimeMs(rewindStartMs - 40 * index).build());
                        counts = index > 0;
                    }
                    default -> throw new IllegalStateException(kind.name());
                }
                boolean bad = counts;
                if (bad) {
                    sent.merge(kind, 1L, Long::sum);
                }
                feed.send(scene.getBytes(StandardCharsets.UTF_8), value, (m, e) -> {
                    if (e == null && bad) {
                        expected.put(position(m.partition(), m.offset()), kind.deadLetterKind);
                        ticks.put(position(m.partition(), m.offset()), tick);
                    }
                });
            }
        }

        private static PositionFrame withAgent(PositionFrame.Builder b, int i,
                java.util.function.UnaryOperator<Agent.Builder> change) {
            List<Agent> agents = new ArrayList<>(b.getAgents());
            agents.set(i, change.apply(Agent.newBuilder(agents.get(i))).build());
            return b.setAgents(agents).build();
        }
    }
}
