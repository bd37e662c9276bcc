package dev.nristream.feed;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Collects what was wrong with a feed's input without stopping it: every problem is counted per {@link ProblemKind};
 * the first few of each kind are passed in full (file and line or event) to a printer, the rest only counted.
 *
 * <pre>{@code
 * FeedProblems problems = FeedProblems.printingTo(System.err::println);
 * problems.report(ProblemKind.NON_FINITE_COORDINATE, "game.json", "event 12", "player 2544 x=NaN");
 * System.err.println(problems.summary());
 * }</pre>
 *
 * Thread-safe: a feed with several producing threads may share one instance.
 */
public final class FeedProblems {

    /** How many problems of each kind are printed in full before they are only counted. */
    public static final int DEFAULT_PRINT_LIMIT = 5;

    private final Consumer<String> printer;
    private final int printLimit;
    private final EnumMap<ProblemKind, Long> counts = new EnumMap<>(ProblemKind.class);
    private final EnumMap<ProblemKind, String> firsts = new EnumMap<>(ProblemKind.class);

    private FeedProblems(Consumer<String> printer, int printLimit) {
        this.printer = Objects.requireNonNull(printer, "printer");
        if (printLimit < 0) {
            throw new IllegalArgumentException("printLimit must be >= 0, got " + printLimit);
        }
        this.printLimit = printLimit;
    }

    /** Problems printed (the first {@value #DEFAULT_PRINT_LIMIT} of each kind) to {@code printer}. */
    public static FeedProblems printingTo(Consumer<String> printer) {
        return new FeedProblems(printer, DEFAULT_PRINT_LIMIT);
    }

    /** Problems printed (the first {@code limit} of each kind) to {@code printer}. */
    public static FeedProblems printingTo(Consumer<String> printer, int limit) {
        return new FeedProblems(printer, limit);
    }

    /** Problems only counted, never printed (tests, benchmarks). */
    public static FeedProblems silent() {
        return new FeedProblems(line -> { }, 0);
    }

    /**
     * Records one problem.
     *
     * @param kind what kind of problem
     * @param source the file (or stream) it was found in
     * @param location where in it: "line 12", "event 7", "frame 40"
     * @param detail what exactly is wrong
     */
    public void report(ProblemKind kind, String source, String location, String detail) {
        report(kind, source, location, () -> detail);
    }

    /** As {@link #report(ProblemKind, String, String, String)}, building the detail only when it is used. */
    public void report(ProblemKind kind, String source, String location, Supplier<String> detail) {
        long n;
        synchronized (this) {
            n = counts.merge(kind, 1L, Long::sum);
        }
        // Duplicate moments and missing agents come by the hundred thousand: build text only when it is used.
        boolean print = !kind.isNote() && n <= printLimit;
        if (n == 1 || print) {
            String line = kind + " in " + source + " at " + location + ": " + detail.get();
            if (n == 1) {
                synchronized (this) {
                    firsts.putIfAbsent(kind, line);
                }
            }
            if (print) {
                printer.accept(line);
            }
        } else if (!kind.isNote() && n == printLimit + 1) {
            printer.accept("further " + kind + " problems are only counted (see the summary)");
        }
    }

    /** How many problems of this kind were reported. */
    public synchronized long count(ProblemKind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** Counts per kind, for kinds seen at least once, in declaration order. */
    public synchronized Map<ProblemKind, Long> counts() {
        return new EnumMap<>(counts);
    }

    /** Total number of real problems (notes excluded). */
    public synchronized long problemCount() {
        return counts.entrySet().stream().filter(e -> !e.getKey().isNote()).mapToLong(Map.Entry::getValue).sum();
    }

    /** The first report of this kind in full, or null. */
    public synchronized String first(ProblemKind kind) {
        return firsts.get(kind);
    }

    /** Adds another instance's counts to this one (a loop's passes, several files). */
    public void addAll(FeedProblems other) {
        Map<ProblemKind, Long> theirs = other.counts();
        synchronized (this) {
            theirs.forEach((k, v) -> counts.merge(k, v, Long::sum));
        }
    }

    /** One line per kind seen: {@code NON_FINITE_COORDINATE: 3 (first: ...)}; "no problems" when none. */
    public synchronized String summary() {
        if (counts.isEmpty()) {
            return "no problems";
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((kind, n) -> {
            if (sb.length() > 0) {
                sb.append(System.lineSeparator());
            }
            sb.append(kind).append(": ").append(n);
            if (kind.isNote()) {
                sb.append(" (expected in real data)");
            }
        });
        return sb.toString();
    }
}
