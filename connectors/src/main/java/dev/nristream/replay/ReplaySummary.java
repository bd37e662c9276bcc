package dev.nristream.replay;

import dev.nristream.feed.ProblemKind;
import java.util.Locale;
import java.util.Map;

/**
 * What a replay did.
 *
 * @param source the feed's description
 * @param sink the sink's description
 * @param frames frames handed to the sink
 * @param delivered frames the sink confirmed
 * @param scenes distinct scene ids sent
 * @param passes how many times the source was played (more than 1 with {@code --loop})
 * @param elapsedNanos wall time from the first frame read to the final flush
 * @param problems counts per kind over all passes
 * @param stopped true when stopped from outside (Ctrl-C) rather than at the feed's end or the frame limit
 * @param resumedAfter frames of the feed an earlier run had delivered, read past without sending (0 when not
 *     resumed); {@code frames} counts only the ones sent by this run
 */
public record ReplaySummary(String source, String sink, long frames, long delivered, int scenes, int passes,
        long elapsedNanos, Map<ProblemKind, Long> problems, boolean stopped, long resumedAfter) {

    public ReplaySummary {
        problems = Map.copyOf(problems);
    }

    /** Frames per second over the whole replay, final flush included. */
    public double framesPerSecond() {
        return elapsedNanos <= 0 ? 0 : frames * 1e9 / elapsedNanos;
    }

    public long count(ProblemKind kind) {
        return problems.getOrDefault(kind, 0L);
    }

    /** A few lines for stderr: totals, then one line per problem kind. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "replayed %s -> %s%n", source, sink));
        sb.append(String.format(Locale.ROOT, "  %,d frames (%,d delivered) in %,d scenes, %d pass%s, %.2f s, "
                + "%,.0f frames/s%s%n", frames, delivered, scenes, passes, passes == 1 ? "" : "es",
                elapsedNanos / 1e9, framesPerSecond(), stopped ? ", stopped" : ""));
        if (resumedAfter > 0) {
            sb.append(String.format(Locale.ROOT, "  resumed after %,d frames sent by an earlier run%n", resumedAfter));
        }
        if (problems.isEmpty()) {
            sb.append("  no problems");
        } else {
            sb.append("  problems:");
            for (ProblemKind k : ProblemKind.values()) {
                Long n = problems.get(k);
                if (n != null) {
                    sb.append(String.format(Locale.ROOT, "%n    %-22s %,d%s", k, n,
                            k.isNote() ? " (expected in real data, skipped)" : ""));
                }
            }
        }
        return sb.toString();
    }
}
