package dev.nristream.trainer.baseline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code curves.png} of an LSTM baseline run: training and validation MSE by epoch, log axis. */
final class LstmCurves {
    private LstmCurves() {}

    static void write(List<Map<String, Object>> metrics, Path png) {
        if (metrics.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(800).height(400).title("LSTM baseline: MSE (normalised)")
                .xAxisTitle("epoch").yAxisTitle("MSE").build();
        chart.getStyler().setYAxisLogarithmic(true);
        series(chart, metrics, "train_mse", "train (burn-in, then its own predictions)");
        series(chart, metrics, "val_mse", "validation, 1 step");
        series(chart, metrics, "val_rollout_mse", "validation, burn-in as in training");
        try {
            BitmapEncoder.saveBitmap(chart, png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void series(XYChart chart, List<Map<String, Object>> metrics, String key, String name) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map<String, Object> m : metrics) {
            if (m.get(key) instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() > 0) {
                x.add(((Number) m.get("epoch")).doubleValue());
                y.add(n.doubleValue());
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        }
    }
}
