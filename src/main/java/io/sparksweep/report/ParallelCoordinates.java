package io.sparksweep.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parallel-coordinates chart (the one Optuna's and W&B's users look at first): one vertical axis per swept
 * parameter, its values in order from bottom to top, and one line per trial through its values, coloured by the
 * sweep's metric from pale (worst) to dark blue (best). The best trial is drawn last and thick.
 */
final class ParallelCoordinates {
    private static final Color WORST = new Color(0xdeebf7);
    private static final Color BEST = new Color(0x08306b);

    private ParallelCoordinates() {
    }

    static CategoryChart draw(List<ReportData.Trial> trials, List<String> axes, int width, int height) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String axis : axes) {
            List<String> distinct = new ArrayList<>(trials.stream().map(t -> ReportCharts.label(t.parameters()
                    .get(axis))).distinct().toList());
            distinct.sort(ReportCharts.valueOrder());
            values.put(axis, distinct);
        }
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title("Parallel coordinates")
                .xAxisTitle("parameter (its values bottom to top)").yAxisTitle("").build();
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true); // one axis per category, not a slot per series
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setYAxisMin(-0.05);
        chart.getStyler().setYAxisMax(1.05);
        List<String> labels = axes.stream().map(axis -> {
            List<String> v = values.get(axis);
            return axis + " (" + v.get(0) + (v.size() > 1 ? " .. " + v.get(v.size() - 1) : "") + ")";
        }).toList();
        List<ReportData.Trial> ranked = trials.stream().filter(t -> t.metricValue() != null)
                .sorted(Comparator.comparingDouble(ParallelCoordinates::score)).toList();
        double low = ranked.isEmpty() ? 0 : score(ranked.get(0));
        double high = ranked.isEmpty() ? 1 : score(ranked.get(ranked.size() - 1));
        for (int r = 0; r < ranked.size(); r++) {
            ReportData.Trial t = ranked.get(r);
            List<Number> y = new ArrayList<>();
            for (String axis : axes) {
                List<String> v = values.get(axis);
                int at = v.indexOf(ReportCharts.label(t.parameters().get(axis)));
                y.add(v.size() == 1 ? 0.5 : (double) at / (v.size() - 1));
            }
            CategorySeries line = chart.addSeries(t.trialId(), labels, y);
            line.setMarker(SeriesMarkers.CIRCLE);
            double shade = high > low ? (score(t) - low) / (high - low) : 1;
            line.setLineColor(mix(shade));
            line.setMarkerColor(mix(shade));
            boolean best = r == ranked.size() - 1;
            line.setLineStyle(new BasicStroke(best ? 3.5f : 1.2f));
        }
        return chart;
    }

    /** Higher is better, whatever the metric. */
    private static double score(ReportData.Trial t) {
        return t.metric().endsWith("loss") ? -t.metricValue() : t.metricValue();
    }

    private static Color mix(double shade) {
        double s = Math.max(0, Math.min(1, shade));
        return new Color((int) (WORST.getRed() + s * (BEST.getRed() - WORST.getRed())),
                (int) (WORST.getGreen() + s * (BEST.getGreen() - WORST.getGreen())),
                (int) (WORST.getBlue() + s * (BEST.getBlue() - WORST.getBlue())));
    }
}
