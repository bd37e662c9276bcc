package dev.nristream.demo;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's live console view. On a terminal it redraws one block in place (ANSI cursor home, clear to end of
 * line and of screen); otherwise (a pipe, a CI log) it prints one status line per refresh. Both end with the full
 * block from {@link #renderFinal}.
 *
 * <pre>{@code
 * ConsoleView view = new ConsoleView(out, ansi, List.of("nri demo: springs x8, model springs5"));
 * view.render(stats.snapshot(now), "Ctrl-C to stop");   // about once a second
 * view.renderFinal(stats.snapshot(now));
 * }</pre>
 */
public final class ConsoleView {

    /** Scenes listed in the block; more are summarised in one line. */
    public static final int MAX_SCENES = 12;
    /** Throughput is averaged over this much wall-clock time. */
    static final long RATE_WINDOW_MS = 5_000;

    private static final String HOME = "\u001b[H";
    private static final String CLEAR_SCREEN = "\u001b[2J";
    private static final String CLEAR_EOL = "\u001b[K";
    private static final String CLEAR_BELOW = "\u001b[J";

    private final PrintWriter out;
    private final boolean ansi;
    private final List<String> header;
    private final Deque<LiveSnapshot> history = new ArrayDeque<>();
    private boolean cleared;

    /**
     * @param ansi redraw in place (stdout is a terminal) instead of printing status lines
     * @param header lines shown above the numbers (what runs where)
     */
    public ConsoleView(PrintWriter out, boolean ansi, List<String> header) {
        this.out = out;
        this.ansi = ansi;
        this.header = List.copyOf(header);
    }

    /** Prints the header once (plain mode: the status lines follow it). */
    public void start() {
        if (!ansi) {
            header.forEach(out::println);
            out.flush();
        }
    }

    /** Shows a snapshot: the block redrawn on a terminal, one status line otherwise. */
    public void render(LiveSnapshot s, String footer) {
        Rates r = remember(s);
        if (ansi) {
            StringBuilder sb = new StringBuilder();
            if (!cleared) {
                sb.append(CLEAR_SCREEN);
                cleared = true;
            }
            sb.append(HOME);
            List<String> lines = new ArrayList<>(header);
            lines.addAll(block(s, r));
            lines.add(footer);
            for (String l : lines) {
                sb.append(l).append(CLEAR_EOL).append('\n');
            }
            sb.append(CLEAR_BELOW);
            out.print(sb);
        } else {
            out.println(line(s, r));
        }
        out.flush();
    }

    /**
     * The full block once more, left on screen (or in the log) at the end. Throughput is that of the last seconds
     * of the run, not of the wind-down after the feed stopped.
     */
    public void renderFinal(LiveSnapshot s) {
        Rates r = history.isEmpty() ? new Rates(0, 0, 0) : Rates.between(history.peekFirst(), history.peekLast());
        if (ansi && cleared) {
            out.print(HOME + CLEAR_BELOW);
            header.forEach(out::println);
        } else if (ansi) {
            header.forEach(out::println);
        } else {
            out.println();
        }
        block(s, r).forEach(out::println);
        out.flush();
    }

    private Rates remember(LiveSnapshot s) {
        history.addLast(s);
        while (history.size() > 2 && s.nowMs() - history.peekFirst().nowMs() > RATE_WINDOW_MS) {
            history.removeFirst();
        }
        return Rates.between(history.peekFirst(), s);
    }

    /** Records per second of the pipeline's main topics between two snapshots. */
    public record Rates(double framesPerSecond, double graphsPerSecond, double forecastsPerSecond) {
        static Rates between(LiveSnapshot a, LiveSnapshot b) {
            double dt = (b.nowMs() - a.nowMs()) / 1000.0;
            if (dt <= 0) {
                return new Rates(0, 0, 0);
            }
            return new Rates(
                    (b.records(TopicMonitor.TOPICS.get(0)) - a.records(TopicMonitor.TOPICS.get(0))) / dt,
                    (b.records(TopicMonitor.TOPICS.get(1)) - a.records(TopicMonitor.TOPICS.get(1))) / dt,
                    (b.records(TopicMonitor.TOPICS.get(2)) - a.records(TopicMonitor.TOPICS.get(2))) / dt);
        }
    }

    /** The block's lines (without header and footer). */
    public static List<String> block(LiveSnapshot s, Rates r) {
        List<String> l = new ArrayList<>();
        Double first = s.secondsToFirstGraph();
        l.add(String.format(Locale.ROOT, "up %s   first graph %s", clock(s.uptimeSeconds()),
                first == null ? "not yet" : String.format(Locale.ROOT, "after %.1f s", first)));
        l.add(String.format(Locale.ROOT, "throughput  frames/s in %.1f   graphs/s %.1f   forecasts/s %.1f   lag %s",
                r.framesPerSecond(), r.graphsPerSecond(), r.forecastsPerSecond(), lag(s)));
        l.add("records     " + s.records().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining("  ")));
        l.add("dead letters " + deadLetters(s) + (s.undecodable() > 0
                ? String.format(Locale.ROOT, "   (%,d records did not decode)", s.undecodable()) : ""));
        l.add("edge accuracy " + accuracy(s));
        l.add(String.format(Locale.ROOT, "inputs out of the model's trained range in %,d of %,d graphs",
                s.outOfRangeGraphs(), s.records(dev.nristream.topic.Topics.GRAPHS.name())));
        l.add("forecast error by step " + errors(s));
        l.add("");
        l.add(String.format(Locale.ROOT, "%-24s %7s %7s  %s", "scene", "graphs", "edge acc",
                "strongest inferred edges (sender->receiver type p)"));
        int shown = 0;
        for (LiveSnapshot.SceneView v : s.scenes()) {
            if (shown++ == MAX_SCENES) {
                l.add(String.format(Locale.ROOT, "... and %d more scenes", s.scenes().size() - MAX_SCENES));
                break;
            }
            String edges = v.graphs() == 0 ? "(no graph yet)"
                    : v.topEdges().isEmpty() ? "(no interactions)" : String.join("   ", v.topEdges());
            l.add(String.format(Locale.ROOT, "%-24s %7d %7s  %s", v.id(), v.graphs(),
                    v.hasTruth() ? percent(v.accuracy()) : "n/a", edges));
        }
        if (s.scenes().isEmpty()) {
            l.add("(no frames yet)");
        }
        return l;
    }

    /** One status line for logs. */
    public static String line(LiveSnapshot s, Rates r) {
        double[] e = s.errorByStep();
        String err = e.length == 0 ? "-" : String.format(Locale.ROOT, "@1 %s @%d %s", number(e[0]), e.length,
                number(e[e.length - 1]));
        return String.format(Locale.ROOT,
                "[%s] frames/s %.1f graphs/s %.1f forecasts/s %.1f lag %s | graphs %,d forecasts %,d "
                        + "forecast-errors %,d edge-stats %,d dead letters %,d | edge acc %s | error %s",
                clock(s.uptimeSeconds()), r.framesPerSecond(), r.graphsPerSecond(), r.forecastsPerSecond(),
                s.lagP50Ms() == null ? "-" : String.format(Locale.ROOT, "%,d ms", s.lagP50Ms()),
                s.records(TopicMonitor.TOPICS.get(1)), s.records(TopicMonitor.TOPICS.get(2)),
                s.records(TopicMonitor.TOPICS.get(3)), s.records(TopicMonitor.TOPICS.get(4)), s.deadLetterTotal(),
                s.edgesCompared() == 0 ? "n/a" : percent(s.edgeAccuracy()), err);
    }

    static String accuracy(LiveSnapshot s) {
        if (s.edgesCompared() == 0) {
            boolean truth = s.scenes().stream().anyMatch(LiveSnapshot.SceneView::hasTruth);
            return truth ? "(waiting for graphs)" : "n/a (the feed carries no ground truth)";
        }
        String assignment = s.assignment().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%s over %,d edges (permutation-invariant: best assignment of the "
                + "model's edge types to true labels, %s)", percent(s.edgeAccuracy()), s.edgesCompared(), assignment);
    }

    static String errors(LiveSnapshot s) {
        double[] e = s.errorByStep();
        if (e.length == 0) {
            return "(waiting for nri.forecast-errors)";
        }
        StringBuilder sb = new StringBuilder("(mean distance, " + s.errorUnit() + "):");
        for (int step = 1; step <= e.length; step++) {
            if (e.length <= 10 || step <= 2 || step % 5 == 0 || step == e.length) {
                sb.append(String.format(Locale.ROOT, " %d: %s", step, number(e[step - 1])));
            }
        }
        return sb.toString();
    }

    static String deadLetters(LiveSnapshot s) {
        if (s.deadLetters().isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : s.deadLetters().entrySet()) {
            sb.append(String.format(Locale.ROOT, "%s%s %,d", sb.length() == 0 ? "" : ", ", e.getKey(), e.getValue()));
        }
        return sb.toString();
    }

    static String lag(LiveSnapshot s) {
        return s.lagP50Ms() == null ? "-" : String.format(Locale.ROOT, "%,d ms (median of the latest %d graphs)",
                s.lagP50Ms(), Math.min(s.lagSamples(), LiveStats.LAG_SAMPLES));
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static String clock(double seconds) {
        long s = (long) seconds;
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
