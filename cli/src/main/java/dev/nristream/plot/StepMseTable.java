package dev.nristream.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A markdown table of MSE by prediction step: one row per curve, columns at steps 1, 5, 10, ..., 30 (those the
 * longest curve reaches) plus its last step; values with three significant digits in scientific notation, so rows
 * spanning orders of magnitude line up. A curve too short for a column gets a dash.
 *
 * <pre>{@code
 * System.out.print(StepMseTable.markdown(curves));
 * }</pre>
 */
public final class StepMseTable {
    /** The steps the NRI paper's tables and Fig. 6 report. */
    static final int[] STEPS = {1, 5, 10, 15, 20, 25, 30};

    private StepMseTable() {
    }

    /** The 1-based steps shown for curves of at most {@code longest} steps. */
    public static List<Integer> columns(int longest) {
        List<Integer> cols = new ArrayList<>();
        for (int s : STEPS) {
            if (s <= longest) {
                cols.add(s);
            }
        }
        if (longest > 0 && !cols.contains(longest)) {
            cols.add(longest);
        }
        return cols;
    }

    public static String markdown(List<StepMseCurve> curves) {
        int longest = curves.stream().mapToInt(StepMseCurve::steps).max().orElse(0);
        List<Integer> cols = columns(longest);
        StringBuilder sb = new StringBuilder("| model |");
        for (int s : cols) {
            sb.append(" step ").append(s).append(" |");
        }
        sb.append('\n').append("|---|");
        sb.append("---:|".repeat(cols.size()));
        sb.append('\n');
        for (StepMseCurve c : curves) {
            // '|' would end the cell early.
            sb.append("| ").append(c.label().replace("|", "\\|")).append(" |");
            for (int s : cols) {
                sb.append(' ').append(s <= c.steps() ? format(c.mse()[s - 1]) : "-").append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
