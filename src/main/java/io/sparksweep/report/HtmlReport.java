package io.sparksweep.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Writes a report folder: {@code index.html} (no scripts, no remote resources: it opens offline) beside the PNG
 * charts it shows.
 */
public final class HtmlReport {
    static final int LEADERBOARD_ROWS = 25;

    private HtmlReport() {
    }

    /** Writes the report into {@code dir} (created if needed) and returns the path of its {@code index.html}. */
    public static Path write(ReportData data, Path dir) throws IOException {
        Files.createDirectories(dir);
        removeOldCharts(dir);
        List<ReportCharts.ChartFile> charts = ReportCharts.draw(data, dir);
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>SparkSweep report: ")
                .append(escape(String.join(", ", data.sweeps()))).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}\n")
                .append("table{border-collapse:collapse;font-size:13px;margin:1em 0}\n")
                .append("th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;white-space:nowrap}\n")
                .append("th{background:#f4f6f8}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("tr.failed td{color:#a33}figure{margin:1.5em 0}figcaption{color:#555;font-size:14px}\n")
                .append("img{max-width:100%;border:1px solid #eee}\n")
                .append(".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:0 1.5em}\n")
                .append("</style>\n</head>\n<body>\n");
        html.append("<h1>SparkSweep report</h1>\n<p>Sweeps: <b>").append(escape(String.join(", ", data.sweeps())))
                .append("</b> &middot; ").append(data.trials().size()).append(" trials, ")
                .append(data.trials().stream().filter(t -> !t.completed()).count()).append(" not completed")
                .append(" &middot; generated ").append(Instant.now().toString(), 0, 19).append("Z</p>\n");
        leaderboard(html, data);
        refits(html, data);
        configs(html, data);
        html.append("<div class=\"charts\">\n");
        for (ReportCharts.ChartFile chart : charts) {
            html.append("<figure><img src=\"").append(chart.fileName()).append("\" alt=\"")
                    .append(escape(chart.title())).append("\"><figcaption>").append(escape(chart.title()))
                    .append("</figcaption></figure>\n");
        }
        html.append("</div>\n</body>\n</html>\n");
        Path index = dir.resolve("index.html");
        Files.writeString(index, html, StandardCharsets.UTF_8);
        return index;
    }

    /** Charts an earlier report wrote into the same folder (only names reports use; other files stay). */
    private static void removeOldCharts(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().matches(ReportCharts.FILE_NAMES)) {
                    Files.delete(file);
                }
            }
        }
    }

    private static void leaderboard(StringBuilder html, ReportData data) {
        List<String> swept = data.sweptParameters();
        boolean severalSweeps = data.sweeps().size() > 1;
        html.append("<h2>Leaderboard</h2>\n<p>").append(chooser(data)).append("</p>\n<table>\n<tr><th>#</th>").append(severalSweeps ? "<th>sweep</th>" : "")
                .append("<th>trial</th>");
        for (String p : swept) {
            html.append("<th>").append(escape(p)).append("</th>");
        }
        String metric = data.trials().isEmpty() ? "test_accuracy" : data.trials().get(0).metric();
        boolean heldOut = data.trials().stream().anyMatch(ReportData.Trial::heldOut);
        if (heldOut) {
            html.append("<th>").append(escape(metric)).append(" (chose)</th>");
        }
        html.append("<th>test accuracy").append(heldOut ? " (held out)" : "")
                .append("</th><th>macro F1</th><th>train s</th><th>status</th></tr>\n");
        List<ReportData.Trial> shown = data.trials().subList(0, Math.min(LEADERBOARD_ROWS, data.trials().size()));
        for (int i = 0; i < shown.size(); i++) {
            ReportData.Trial t = shown.get(i);
            html.append(t.completed() ? "<tr>" : "<tr class=\"failed\" title=\"" + escape(String.valueOf(t.error()))
                    + "\">").append("<td class=\"num\">").append(i + 1).append("</td>");
            if (severalSweeps) {
                html.append("<td>").append(escape(t.sweep())).append("</td>");
            }
            html.append("<td><code>").append(t.trialId()).append("</code></td>");
            for (String p : swept) {
                html.append("<td>").append(escape(t.parameters().get(p))).append("</td>");
            }
            if (heldOut) {
                html.append("<td class=\"num\">").append(number(t.metricValue(), "%.4f")).append("</td>");
            }
            html.append("<td class=\"num\">").append(number(t.testAccuracy(), "%.4f")).append("</td>")
                    .append("<td class=\"num\">").append(number(t.macroF1(), "%.4f")).append("</td>")
                    .append("<td class=\"num\">").append(number(t.trainSeconds(), "%.1f")).append("</td>")
                    .append("<td>").append(t.status()).append("</td></tr>\n");
        }
        html.append("</table>\n");
        if (data.trials().size() > shown.size()) {
            html.append("<p>").append(data.trials().size() - shown.size())
                    .append(" more trials: query them with <code>sparksweep query</code>.</p>\n");
        }
    }

    /** Which metric chose the winner, and what the test set's role was. */
    private static String chooser(ReportData data) {
        List<String> metrics = data.trials().stream().map(ReportData.Trial::metric).distinct().toList();
        String names = escape(String.join(", ", metrics));
        if (data.trials().stream().anyMatch(ReportData.Trial::heldOut)) {
            return "Ranked by <b>" + names + "</b>, measured on validation images held out of the training set: "
                    + "it chose the winner. Test accuracy is each trial's held-out estimate and chose nothing.";
        }
        return "Ranked by <b>" + names + "</b>. No validation images were held out, so the test set chose the "
                + "winner and its test accuracy is optimistic.";
    }

    private static void refits(StringBuilder html, ReportData data) {
        for (ReportData.Trial refit : data.refits()) {
            html.append("<p>Refit: the winner <code>").append(escape(refit.refitOf()))
                    .append("</code> retrained on every training image as <code>").append(refit.trialId())
                    .append("</code>: test accuracy <b>").append(number(refit.testAccuracy(), "%.4f"))
                    .append("</b>, the sweep's final result (").append(escape(refit.sweep())).append(", ")
                    .append(refit.status()).append(").</p>\n");
        }
    }

    /** Configurations with several seeds: mean and 95% interval; those overlapping the winner's are marked. */
    private static void configs(StringBuilder html, ReportData data) {
        if (data.configs().stream().noneMatch(c -> c.n() > 1)) {
            return;
        }
        List<String> swept = data.sweptParameters().stream().filter(p -> !p.equals("seed")).toList();
        html.append("<h2>Configurations over seeds</h2>\n<p>Trials that differ only in their seed, ranked by the mean of ")
                .append("the sweep's metric, with a 95% confidence interval (Student's t). &#9679; marks a ")
                .append("configuration whose interval overlaps the winner's: the data cannot tell them apart.</p>\n")
                .append("<table>\n<tr><th>#</th><th>config</th>");
        swept.forEach(p -> html.append("<th>").append(escape(p)).append("</th>"));
        html.append("<th>n</th><th>mean</th><th>95% interval</th><th>test accuracy (mean)</th><th></th></tr>\n");
        List<ReportData.Config> shown = data.configs().subList(0, Math.min(LEADERBOARD_ROWS, data.configs().size()));
        for (int i = 0; i < shown.size(); i++) {
            ReportData.Config c = shown.get(i);
            html.append("<tr><td class=\"num\">").append(i + 1).append("</td><td><code>").append(c.configId())
                    .append("</code></td>");
            swept.forEach(p -> html.append("<td>").append(escape(c.parameters().get(p))).append("</td>"));
            html.append("<td class=\"num\">").append(c.n()).append("</td><td class=\"num\">")
                    .append(number(c.mean(), "%.4f")).append("</td><td class=\"num\">")
                    .append(c.low() == null ? "&ndash;" : number(c.low(), "%.4f") + " &ndash; " + number(c.high(), "%.4f"))
                    .append("</td><td class=\"num\">").append(number(c.testMean(), "%.4f")).append("</td><td>")
                    .append(c.overlapsWinner() ? "&#9679;" : "").append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static String number(Double value, String format) {
        return value == null ? "&ndash;" : String.format(Locale.ROOT, format, value);
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
