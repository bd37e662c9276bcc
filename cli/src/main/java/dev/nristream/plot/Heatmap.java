package dev.nristream.plot;

import java.util.List;

/**
 * One panel of {@link HeatmapPicture}: probabilities in [0, 1] by row and column, NaN where there is no value
 * (an agent and itself).
 *
 * @param values [row][column]
 * @param rowAxis what the rows are, e.g. "sender"
 * @param columnAxis what the columns are, e.g. "receiver"
 */
public record Heatmap(String title, List<String> rowLabels, List<String> columnLabels, double[][] values,
        String rowAxis, String columnAxis) {

    public Heatmap {
        if (values.length != rowLabels.size()) {
            throw new IllegalArgumentException(title + ": " + values.length + " rows, " + rowLabels.size() + " labels");
        }
        for (double[] row : values) {
            if (row.length != columnLabels.size()) {
                throw new IllegalArgumentException(title + ": a row of " + row.length + " values, "
                        + columnLabels.size() + " column labels");
            }
        }
    }
}
