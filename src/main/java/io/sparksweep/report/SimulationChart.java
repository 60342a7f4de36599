package io.sparksweep.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The curves of a simulation: mean best value found against trials and against trial-epochs, per method. */
public final class SimulationChart {
    private SimulationChart() {
    }

    /**
     * @param byTrials per method, the mean best value after 1, 2, ... trials
     * @param byEpochs per method, {trial-epochs, mean best value} pairs
     */
    public static void write(Path png, String title, String metric, Map<String, double[]> byTrials,
            Map<String, double[][]> byEpochs) throws IOException {
        XYChart trials = chart(title + ": best " + metric + " against trials", "trials", metric);
        byTrials.forEach((method, means) -> {
            double[] x = new double[means.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            series(trials, method, x, means);
        });
        XYChart epochs = chart(title + ": best " + metric + " against trial-epochs", "trial-epochs", metric);
        byEpochs.forEach((method, points) -> series(epochs, method, points[0], points[1]));
        // the first few trials are far below the rest: start the axis where the curves are an eighth of the way
        trials.getStyler().setYAxisMin(floor(byTrials.values().stream().map(y -> y).toList()));
        epochs.getStyler().setYAxisMin(floor(byEpochs.values().stream().map(p -> p[1]).toList()));
        String base = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(trials, base + "-trials", BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(epochs, base + "-epochs", BitmapEncoder.BitmapFormat.PNG);
    }

    private static double floor(List<double[]> curves) {
        double floor = Double.POSITIVE_INFINITY;
        for (double[] y : curves) {
            double at = y.length == 0 ? Double.NaN : y[y.length / 8];
            if (Double.isFinite(at)) {
                floor = Math.min(floor, at);
            }
        }
        return Double.isFinite(floor) ? floor : 0;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(760).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        return chart;
    }

    private static void series(XYChart chart, String name, double[] x, double[] y) {
        int n = 0;
        while (n < y.length && Double.isNaN(y[n])) {
            n++;
        }
        if (n < y.length) {
            XYSeries series = chart.addSeries(name, Arrays.copyOfRange(x, n, x.length),
                    Arrays.copyOfRange(y, n, y.length));
            series.setMarker(SeriesMarkers.NONE);
        }
    }
}
