package dev.nristream.plot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The text beside an edges picture: how many agent pairs there are, how many lie above the drawing threshold, and
 * the most probable pairs with their names.
 *
 * <pre>{@code
 * System.out.print(EdgeRanking.summary(pairProbability, names, 0.5, 10));
 * }</pre>
 */
public final class EdgeRanking {
    private EdgeRanking() {
    }

    /** One unordered pair and its probability. */
    public record Pair(int a, int b, double probability) {
    }

    /** Every unordered pair, most probable first (ties: by index). */
    public static List<Pair> ranked(double[][] pairProbability) {
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < pairProbability.length; i++) {
            for (int j = i + 1; j < pairProbability.length; j++) {
                out.add(new Pair(i, j, pairProbability[i][j]));
            }
        }
        out.sort(Comparator.comparingDouble(Pair::probability).reversed());
        return out;
    }

    /**
     * E.g. {@code "10 pairs of 5 agents; 4 with P(edge) > 0.50"} and then the top {@code top} pairs, one a line.
     */
    public static String summary(double[][] pairProbability, List<String> names, double threshold, int top) {
        List<Pair> all = ranked(pairProbability);
        long above = all.stream().filter(p -> p.probability() > threshold).count();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d pairs of %d agents; %d with P(edge) > "
                + "%.2f%n", all.size(), pairProbability.length, above, threshold));
        sb.append(String.format(Locale.ROOT, "top %d pairs by P(edge), mean of both directions:%n",
                Math.min(top, all.size())));
        for (Pair p : all.subList(0, Math.min(top, all.size()))) {
            sb.append(String.format(Locale.ROOT, "  %.3f  %s - %s%n", p.probability(), names.get(p.a()),
                    names.get(p.b())));
        }
        return sb.toString();
    }
}
