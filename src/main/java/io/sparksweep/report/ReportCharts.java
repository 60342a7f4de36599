package io.sparksweep.report;

import io.sparksweep.results.ParameterImportance;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Draws a report's charts with XChart and saves them as PNG files. */
final class ReportCharts {
    /** The names of the files {@link #draw} writes. */
    static final String FILE_NAMES = "(accuracy-by-[a-z-]+|learning-curves|accuracy-vs-time|confusion|class-f1"
            + "|importance-[A-Za-z0-9._-]+|parallel-coordinates)\\.png";
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;

    /** A chart file written into the report folder, with the caption the page shows under it. */
    record ChartFile(String fileName, String title) {
    }

    private ReportCharts() {
    }

    static List<ChartFile> draw(ReportData data, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<ChartFile> files = new ArrayList<>();
        List<ReportData.Trial> completed = data.trials().stream().filter(ReportData.Trial::completed).toList();
        if (completed.isEmpty()) {
            return files;
        }
        String metric = completed.get(0).metric();
        for (String parameter : data.sweptParameters()) {
            files.add(save(accuracyBy(parameter, completed), dir, "accuracy-by-" + parameter.replace('_', '-'),
                    "Best " + metric + " for each value of " + parameter));
        }
        for (Map.Entry<String, List<ParameterImportance.Importance>> sweep : data.importance().entrySet()) {
            if (!sweep.getValue().isEmpty()) {
                files.add(save(importance(sweep.getValue(), metric), dir, "importance-" + sweep.getKey(),
                        "Which parameters mattered for " + metric + " in " + sweep.getKey() + " (an MLlib random "
                                + "forest over " + sweep.getValue().get(0).configurations() + " configurations)"));
            }
        }
        List<String> axes = data.sweptParameters().stream().filter(p -> !p.equals("seed")).toList();
        if (axes.size() >= 2) {
            files.add(save(ParallelCoordinates.draw(completed, axes, WIDTH, HEIGHT + 60), dir,
                    "parallel-coordinates", "Every completed trial across the swept parameters, coloured by "
                            + metric + " (darker is better; the best drawn thick)"));
        }
        boolean heldOut = completed.get(0).heldOut();
        files.add(save(learningCurves(data), dir, "learning-curves", (heldOut ? "Validation" : "Test")
                + " accuracy after each epoch, best " + data.curves().size() + " trials"));
        files.add(save(accuracyVsTime(completed), dir, "accuracy-vs-time", metric + " against training time"));
        if (data.best() != null) {
            files.add(save(confusion(data.best()), dir, "confusion",
                    "Confusion matrix of the best trial (" + data.best().trialId() + ") on the test set"));
            files.add(save(classF1(data.best()), dir, "class-f1",
                    "Per-class F1 of the best trial (" + data.best().trialId() + ")"));
        }
        return files;
    }

    private static CategoryChart accuracyBy(String parameter, List<ReportData.Trial> trials) {
        Map<String, Double> best = new LinkedHashMap<>();
        for (ReportData.Trial t : trials) {
            if (t.metricValue() != null) {
                best.merge(label(t.parameters().get(parameter)), t.metricValue(),
                        t.metric().endsWith("loss") ? Math::min : Math::max);
            }
        }
        List<String> values = new ArrayList<>(best.keySet());
        values.sort(valueOrder());
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(trials.get(0).metric() + " by " + parameter).xAxisTitle(parameter)
                .yAxisTitle("best " + trials.get(0).metric()).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColor(Color.DARK_GRAY);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setYAxisMin(Math.max(0, best.values().stream().min(Double::compare).orElse(0.0) - 0.05));
        chart.addSeries("best", values, values.stream().map(v -> (Number) best.get(v)).toList());
        return chart;
    }

    private static XYChart learningCurves(ReportData data) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT + 100).title("Learning curves")
                .xAxisTitle("epoch").yAxisTitle("accuracy after the epoch").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        int faded = 0;
        for (Map.Entry<String, List<double[]>> curve : data.prunedCurves().entrySet()) {
            List<double[]> points = curve.getValue();
            if (points.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries("pruned " + curve.getKey(), points.stream().mapToDouble(p -> p[0])
                    .toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
            series.setLineColor(new Color(200, 200, 200));
            series.setMarker(SeriesMarkers.NONE);
            series.setShowInLegend(faded++ == 0);
            if (faded == 1) {
                series.setLabel("pruned trials (" + data.prunedCurves().size() + ")");
            }
        }
        for (Map.Entry<String, List<double[]>> curve : data.curves().entrySet()) {
            List<double[]> points = curve.getValue();
            if (points.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(data.describe(curve.getKey()), points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray());
            series.setMarker(points.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static XYChart accuracyVsTime(List<ReportData.Trial> trials) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Accuracy against training time")
                .xAxisTitle("training seconds").yAxisTitle(trials.get(0).metric()).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        Map<String, List<ReportData.Trial>> byModel = new LinkedHashMap<>();
        trials.stream().filter(t -> t.metricValue() != null)
                .forEach(t -> byModel.computeIfAbsent(t.model(), k -> new ArrayList<>()).add(t));
        byModel.forEach((model, ts) -> chart.addSeries(model,
                ts.stream().mapToDouble(ReportData.Trial::trainSeconds).toArray(),
                ts.stream().mapToDouble(ReportData.Trial::metricValue).toArray()));
        return chart;
    }

    private static CategoryChart importance(List<ParameterImportance.Importance> importances, String metric) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Parameter importance for " + metric).xAxisTitle("parameter").yAxisTitle("importance").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries("importance", importances.stream().map(ParameterImportance.Importance::parameter).toList(),
                importances.stream().map(i -> (Number) i.importance()).toList());
        return chart;
    }

    private static HeatMapChart confusion(ReportData.Best best) {
        int n = best.classNames().size();
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(Math.max(HEIGHT, 60 + 42 * n))
                .title("Confusion matrix (rows: actual, columns: predicted)").xAxisTitle("predicted")
                .yAxisTitle("actual").build();
        style(chart.getStyler());
        chart.getStyler().setShowValue(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x6baed6), new Color(0x08306b)});
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setXAxisTickMarkSpacingHint(10); // label every class, not every other one
        chart.getStyler().setYAxisTickMarkSpacingHint(10);
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                // the y axis grows upwards: put the first class on top
                cells.add(new Number[] {predicted, n - 1 - actual, best.confusion()[actual][predicted]});
            }
        }
        List<String> reversed = new ArrayList<>(best.classNames());
        Collections.reverse(reversed);
        chart.addSeries("confusion", best.classNames(), reversed, cells);
        return chart;
    }

    private static CategoryChart classF1(ReportData.Best best) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("F1 per class")
                .xAxisTitle("class").yAxisTitle("F1 (test set)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setXAxisTickMarkSpacingHint(10);
        chart.addSeries("f1", best.classNames(), Arrays.stream(best.f1()).boxed().map(d -> (Number) d)
                .toList());
        return chart;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setChartTitleBoxVisible(false);
        styler.setAntiAlias(true);
    }

    /** Empty lists (a parameter that does not apply to a model) read as "n/a". */
    static String label(String value) {
        return value == null || value.equals("[]") ? "n/a" : value;
    }

    /** Numbers in numeric order, "n/a" last, anything else as text. */
    static Comparator<String> valueOrder() {
        return (a, b) -> {
            if (a.equals(b)) {
                return 0;
            }
            if (a.equals("n/a") || b.equals("n/a")) {
                return a.equals("n/a") ? 1 : -1;
            }
            try {
                return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
            } catch (NumberFormatException e) {
                return a.compareTo(b);
            }
        };
    }

    private static ChartFile save(Chart<?, ?> chart, Path dir, String name, String title) throws IOException {
        String fileName = name + ".png";
        try (OutputStream out = Files.newOutputStream(dir.resolve(fileName))) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return new ChartFile(fileName, title);
    }
}
