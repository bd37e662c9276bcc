package dev.nristream.analytics;

import dev.nristream.registry.RegistryException;
import dev.nristream.registry.WireFormatException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts skipped records and samples their log lines: the first {@code samplesPerKind} of each kind are logged
 * with their stack trace, later ones only counted, with one summary line at most every {@code summaryEvery}
 * (written when the next bad record arrives). A hostile producer sending thousands of bad records then costs a
 * few lines of log, not one stack trace each. Thread-safe.
 *
 * <pre>{@code
 * UndecodableLog log = UndecodableLog.shared();
 * log.skipped("nri.graphs", 0, 17, exception);
 * long n = log.total();
 * Map<String, Long> fromGraphs = log.totals("nri.graphs");
 * }</pre>
 */
public final class UndecodableLog {

    /** Records of one kind logged with a stack trace before the rest are only counted. */
    public static final int DEFAULT_SAMPLES_PER_KIND = 5;
    /** Least time between two summary lines. */
    public static final Duration DEFAULT_SUMMARY_EVERY = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(UndecodableLog.class);
    private static final UndecodableLog SHARED = new UndecodableLog(DEFAULT_SAMPLES_PER_KIND,
            DEFAULT_SUMMARY_EVERY, System::nanoTime);

    /** What {@link #skipped} did with one record. */
    public enum Logged {
        /** Logged with its stack trace. */
        SAMPLE,
        /** Counted, and a summary line was written. */
        SUMMARY,
        /** Only counted. */
        COUNTED
    }

    private final int samplesPerKind;
    private final long summaryNanos;
    private final LongSupplier clock;
    private final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();
    /** The same counts per input topic: an application reads several, and a reader may care about one. */
    private final Map<String, Map<String, AtomicLong>> byTopic = new ConcurrentHashMap<>();
    private final AtomicLong unsummarised = new AtomicLong();
    private long lastSummary;

    UndecodableLog(int samplesPerKind, Duration summaryEvery, LongSupplier clock) {
        this.samplesPerKind = samplesPerKind;
        this.summaryNanos = summaryEvery.toNanos();
        this.clock = clock;
        this.lastSummary = clock.getAsLong();
    }

    /** The process-wide instance the analytics' deserialization handler reports to. */
    public static UndecodableLog shared() {
        return SHARED;
    }

    /** Counts one skipped record of {@code topic} and logs it if it is among the samples or a summary is due. */
    public Logged skipped(String topic, int partition, long offset, Throwable error) {
        String where = topic + "-" + partition + "@" + offset;
        String kind = kindOf(error);
        byTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        long n = byKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (n <= samplesPerKind) {
            LOG.warn("{}: record skipped, it does not decode ({} #{}{}): {}", where, kind, n,
                    n == samplesPerKind ? "; further ones of this kind are only counted" : "", error.toString(),
                    error);
            return Logged.SAMPLE;
        }
        unsummarised.incrementAndGet();
        synchronized (this) {
            long now = clock.getAsLong();
            if (now - lastSummary < summaryNanos) {
                return Logged.COUNTED;
            }
            long quiet = unsummarised.getAndSet(0);
            LOG.warn("{} more undecodable record(s) skipped in the last {} s; totals by kind: {}", quiet,
                    (now - lastSummary) / 1_000_000_000L, totals());
            lastSummary = now;
            return Logged.SUMMARY;
        }
    }

    /** Records skipped so far, all kinds. */
    public long total() {
        return byKind.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Records skipped so far by kind (UNKNOWN_SCHEMA_ID, UNDECODABLE, or the exception's class name). */
    public Map<String, Long> totals() {
        Map<String, Long> m = new TreeMap<>();
        byKind.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Records of {@code topic} skipped so far by kind. */
    public Map<String, Long> totals(String topic) {
        Map<String, Long> m = new TreeMap<>();
        byTopic.getOrDefault(topic, Map.of()).forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    static String kindOf(Throwable error) {
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof RegistryException r) {
                return r.reason().name();
            }
            if (c instanceof WireFormatException) {
                return "UNDECODABLE";
            }
        }
        return error.getClass().getSimpleName();
    }
}
