package dev.nristream.plot;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws forecast MSE by prediction step for several models on a log axis, as the NRI paper's Fig. 6 (left).
 *
 * <pre>{@code
 * MseChart.write(curves, "Springs, 5 particles", Path.of("mse.png"));
 * }</pre>
 */
public final class MseChart {
    private MseChart() {
    }

    /**
     * @throws IllegalArgumentException when two curves share a label (the legend could not tell them apart) or a
     *     value cannot go on a log axis (zero, negative, NaN), naming the curve and step
     */
    public static void write(List<StepMseCurve> curves, String title, Path png) {
        Set<String> labels = new HashSet<>();
        for (StepMseCurve c : curves) {
            if (!labels.add(c.label())) {
                throw new IllegalArgumentException("two curves are labelled '" + c.label() + "'; give each its own "
                        + "LABEL");
            }
            for (int i = 0; i < c.steps(); i++) {
                if (!(c.mse()[i] > 0) || Double.isInfinite(c.mse()[i])) {
                    throw new IllegalArgumentException("curve '" + c.label() + "' has MSE " + c.mse()[i] + " at step "
                            + (i + 1) + ", which a log axis cannot show");
                }
            }
        }
        XYChart chart = new XYChartBuilder().width(800).height(560).title(title)
                .xAxisTitle("prediction step").yAxisTitle("MSE").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (StepMseCurve c : curves) {
            double[] x = new double[c.steps()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            chart.addSeries(c.label(), x, c.mse());
        }
        PngFile.write(BitmapEncoder.getBufferedImage(chart), png);
    }
}
