package dev.nristream.trainer.train;

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

/** Draws training curves (loss on a log axis, edge accuracy) from metrics.jsonl lines into one PNG. */
public final class CurvesPlot {
    private CurvesPlot() {}

    public static void write(List<Map<String, Object>> metrics, Path png) {
        if (metrics.isEmpty()) {
            return;
        }
        // A supervised encoder (--graph supervised) forecasts nothing: its nll is the edges' cross-entropy.
        boolean supervised = !metrics.get(0).containsKey("train_mse");
        XYChart loss = new XYChartBuilder().width(800).height(400)
                .title(supervised ? "supervised encoder: loss" : "NRI training: loss").xAxisTitle("epoch")
                .yAxisTitle(supervised ? "cross-entropy of the true edge types, per edge" : "NLL per sample and atom")
                .build();
        loss.getStyler().setYAxisLogarithmic(true);
        series(loss, metrics, "train_nll", supervised ? "train cross-entropy" : "train NLL");
        series(loss, metrics, "val_nll", supervised ? "validation cross-entropy" : "validation NLL (1 step)");
        XYChart acc = new XYChartBuilder().width(800).height(400)
                .title(supervised ? "supervised encoder: edge accuracy" : "NRI training: edge accuracy")
                .xAxisTitle("epoch").yAxisTitle("accuracy").build();
        series(acc, metrics, "train_acc", "train (raw)");
        series(acc, metrics, "val_acc", "validation (raw)");
        series(acc, metrics, "val_acc_permutation", "validation (permutation-invariant)");
        try {
            BitmapEncoder.saveBitmap(List.of(loss, acc), 2, 1, png.toString().replaceAll("\\.png$", ""),
                    BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void series(XYChart chart, List<Map<String, Object>> metrics, String key, String name) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map<String, Object> m : metrics) {
            Object v = m.get(key);
            if (v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() > 0) {
                x.add(((Number) m.get("epoch")).doubleValue());
                y.add(n.doubleValue());
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        }
    }
}
