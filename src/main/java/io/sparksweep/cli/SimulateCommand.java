package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.report.SimulationChart;
import io.sparksweep.results.RecordedResults;
import io.sparksweep.search.Methods;
import io.sparksweep.search.Point;
import io.sparksweep.search.RecordedExecutor;
import io.sparksweep.search.SearchSpace;
import io.sparksweep.search.Simulation;
import io.sparksweep.spark.SparkSessions;
import io.sparksweep.spec.MetricSpec;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code simulate}: replays search methods against a finished sweep's recorded results, through the loop a real
 * sweep runs in, training nothing: what each would have found, after how many trials and trial-epochs.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Replay search methods (random, tpe, tpe+asha, hyperband, ...) against a finished sweep's "
                + "recorded results instead of training: the best value each finds after n trials and n "
                + "trial-epochs, over several sampler seeds.")
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    ResultsOptions results;

    @Option(names = "--sweep", required = true, paramLabel = "NAME", description = "the recorded sweep (a grid)")
    String sweep;

    @Option(names = "--methods", split = ",", defaultValue = "random,tpe,random+asha,tpe+asha,hyperband",
            description = "SAMPLER[+SCHEDULER], comma-separated (default: ${DEFAULT-VALUE}); samplers: random, tpe; "
                    + "schedulers: asha, hyperband, median")
    List<String> methods;

    @Option(names = "--trials", defaultValue = "80", description = "trials per run (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--repeats", defaultValue = "20", description = "runs per method, each with its own sampler "
            + "seed (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--slots", defaultValue = "1", description = "trials in flight (default: ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--metric", defaultValue = "test_accuracy",
            description = "val_accuracy, val_loss (sweeps with a validation split), test_accuracy, test_loss or "
                    + "train_loss (default: ${DEFAULT-VALUE})")
    String metric;

    @Option(names = "--at", split = ",", defaultValue = "10,20,40,80",
            description = "trial counts to report (default: ${DEFAULT-VALUE}); trial-epochs are reported at these "
                    + "times the recorded epochs")
    List<Integer> at;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "draw the curves: FILE-trials.png and "
            + "FILE-epochs.png")
    Path chart;

    @Option(names = "--export-table", paramLabel = "FILE.csv", description = "write the lookup table (one row per "
            + "point and epoch) for other tools, e.g. jobs/benchmark/optuna_tpe.py")
    Path export;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        OutputDirectory.requireResults(results.output);
        MetricSpec.Name name = MetricSpec.Name.valueOf(metric.toUpperCase(Locale.ROOT));
        RecordedResults recorded;
        try (SparkSessions.Handle spark = SparkSessions.open("sparksweep simulate", "local[*]", false)) {
            recorded = RecordedResults.load(spark.session(), results.output, sweep, name.key());
        }
        List<Simulation.Method> parsed = new ArrayList<>();
        for (String method : methods) {
            try {
                parsed.add(Methods.parse(method, recorded.space(), recorded.epochs()));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--methods: " + e.getMessage());
            }
        }
        MetricSpec.Goal goal = MetricSpec.of(name).goal();
        PrintStream out = System.out;
        describe(out, recorded, goal);
        if (export != null) {
            exportTable(recorded, export);
            out.println("lookup table written to " + export);
        }
        Simulation simulation = new Simulation(recorded.table(), goal, slots);
        Map<String, List<Simulation.Run>> runs = new LinkedHashMap<>();
        for (Simulation.Method method : parsed) {
            runs.put(method.name(), simulation.run(method, trials, repeats));
        }
        printTable(out, runs, recorded.epochs());
        if (chart != null) {
            SimulationChart.write(chart, sweep, name.key(), meanByTrials(runs), meanByEpochs(runs, recorded.epochs()));
            out.println("charts: " + chart.toString().replaceFirst("\\.png$", "") + "-{trials,epochs}.png");
        }
        return Main.OK;
    }

    private void checkOptions() {
        if (trials < 1 || repeats < 1 || slots < 1) {
            throw new BadInputException("--trials, --repeats and --slots must be at least 1");
        }
        if (!List.of("val_accuracy", "val_loss", "test_accuracy", "test_loss", "train_loss").contains(metric)) {
            throw new BadInputException("--metric must be val_accuracy, val_loss, test_accuracy, test_loss or "
                    + "train_loss (measured every epoch), got '" + metric + "'");
        }
        if (chart != null && !chart.toString().endsWith(".png")) {
            throw new BadInputException("--chart must name a .png file, got " + chart);
        }
    }

    private void describe(PrintStream out, RecordedResults recorded, MetricSpec.Goal goal) {
        Map.Entry<Point, RecordedExecutor.Curve> best = recorded.table().entrySet().stream()
                .max(Comparator.comparingDouble(e -> (goal == MetricSpec.Goal.MAXIMIZE ? 1 : -1)
                        * e.getValue().values()[recorded.epochs() - 1])).orElseThrow();
        out.printf(Locale.ROOT, "recorded: %s in %s: %d configurations of %s, %d epochs; best %s %.4f (%s)%n",
                sweep, results.output, recorded.table().size(), recorded.space().dimensions().stream()
                        .map(d -> d.param().key()).collect(Collectors.joining(" x ")), recorded.epochs(), metric,
                best.getValue().values()[recorded.epochs() - 1], best.getKey());
        out.printf("%d repeats, %d slot(s), %d trials each; mean ± standard error over repeats of the best %s "
                + "found%n%n", repeats, slots, trials, metric);
    }

    private void printTable(PrintStream out, Map<String, List<Simulation.Run>> runs, int epochs) {
        List<Integer> counts = at.stream().filter(n -> n <= trials).toList();
        StringBuilder header = new StringBuilder(String.format("%-18s", "method"));
        counts.forEach(n -> header.append(String.format("%-20s", "after " + n + " trials")));
        counts.forEach(n -> header.append(String.format("%-22s", "within " + n * epochs + " ep")));
        header.append("trial-epochs");
        out.println(header);
        runs.forEach((method, list) -> {
            StringBuilder line = new StringBuilder(String.format("%-18s", method));
            counts.forEach(n -> line.append(String.format("%-20s", Simulation.meanAndError(
                    list.stream().mapToDouble(r -> r.bestAfter(n)).toArray()))));
            counts.forEach(n -> line.append(String.format("%-22s", Simulation.meanAndError(
                    list.stream().mapToDouble(r -> r.bestWithin((long) n * epochs)).toArray()))));
            line.append(Math.round(list.stream().mapToLong(Simulation.Run::trialEpochs).average().orElse(0)));
            out.println(line);
        });
    }

    private Map<String, double[]> meanByTrials(Map<String, List<Simulation.Run>> runs) {
        Map<String, double[]> means = new LinkedHashMap<>();
        runs.forEach((method, list) -> {
            double[] mean = new double[trials];
            for (int k = 1; k <= trials; k++) {
                int n = k;
                mean[k - 1] = list.stream().mapToDouble(r -> r.bestAfter(n)).filter(Double::isFinite).average()
                        .orElse(Double.NaN);
            }
            means.put(method, mean);
        });
        return means;
    }

    private Map<String, double[][]> meanByEpochs(Map<String, List<Simulation.Run>> runs, int epochs) {
        Map<String, double[][]> means = new LinkedHashMap<>();
        runs.forEach((method, list) -> {
            double[][] curve = new double[2][trials];
            for (int k = 1; k <= trials; k++) {
                long budget = (long) k * epochs;
                curve[0][k - 1] = budget;
                curve[1][k - 1] = list.stream().mapToDouble(r -> r.bestWithin(budget)).filter(Double::isFinite)
                        .average().orElse(Double.NaN);
            }
            means.put(method, curve);
        });
        return means;
    }

    /** One row per point and epoch: the swept parameters' values, the epoch, the metric, the seconds. */
    private void exportTable(RecordedResults recorded, Path file) throws IOException {
        List<SearchSpace.Dimension> dimensions = recorded.space().dimensions();
        List<String> header = new ArrayList<>(dimensions.stream().map(d -> d.param().key()).toList());
        header.addAll(List.of("epoch", metric, "seconds"));
        try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(file), CSVFormat.RFC4180.builder()
                .setHeader(header.toArray(String[]::new)).build())) {
            for (Map.Entry<Point, RecordedExecutor.Curve> entry : recorded.table().entrySet()) {
                for (int e = 1; e <= recorded.epochs(); e++) {
                    List<Object> row = new ArrayList<>();
                    dimensions.forEach(d -> row.add(String.valueOf(entry.getKey().get(d.param()))));
                    row.add(e);
                    row.add(entry.getValue().values()[e - 1]);
                    row.add(entry.getValue().seconds()[e - 1]);
                    csv.printRecord(row);
                }
            }
        }
    }
}
