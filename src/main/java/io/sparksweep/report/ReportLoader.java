package io.sparksweep.report;

import io.sparksweep.BadInputException;
import io.sparksweep.results.ResultTables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads what a report needs from the result tables with Spark SQL. */
public final class ReportLoader {
    /** Parameter columns of the trials table, in the order reports show them. */
    static final List<String> PARAMETERS = List.of("model", "hidden_layers", "conv_channels", "kernel_size",
            "padding", "activation", "optimizer", "learning_rate", "batch_size", "epochs", "weight_init", "seed",
            "dataset");
    static final int CURVES = 5;

    private ReportLoader() {
    }

    /** Loads the named sweeps (all sweeps when {@code sweeps} is empty) from {@code outputDir}. */
    public static ReportData load(SparkSession spark, String outputDir, List<String> sweeps) {
        ResultTables.registerViews(spark, outputDir);
        List<String> known = spark.sql("SELECT DISTINCT sweep_name FROM trials ORDER BY sweep_name").collectAsList()
                .stream().map(r -> r.getString(0)).toList();
        if (known.isEmpty()) {
            throw new BadInputException("no trials in " + outputDir + ": run a sweep first or pass --output");
        }
        for (String sweep : sweeps) {
            if (!known.contains(sweep)) {
                throw new BadInputException("no sweep named '" + sweep + "' in " + outputDir + "; sweeps there: "
                        + String.join(", ", known));
            }
        }
        List<String> selected = sweeps.isEmpty() ? known : sweeps;
        String in = selected.stream().map(s -> "'" + s.replace("'", "''") + "'").collect(Collectors.joining(", "));

        List<ReportData.Trial> trials = new ArrayList<>();
        String columns = PARAMETERS.stream().map(c -> "CAST(" + c + " AS STRING) AS " + c)
                .collect(Collectors.joining(", "));
        for (Row r : spark.sql("SELECT sweep_name, trial_id, status, " + columns + ", test_accuracy, macro_f1, "
                + "train_seconds, error FROM trials WHERE sweep_name IN (" + in + ") "
                + "ORDER BY test_accuracy DESC NULLS LAST, trial_id").collectAsList()) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < PARAMETERS.size(); i++) {
                parameters.put(PARAMETERS.get(i), r.getString(3 + i));
            }
            int next = 3 + PARAMETERS.size();
            trials.add(new ReportData.Trial(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                    parameters, r.isNullAt(next) ? null : r.getDouble(next),
                    r.isNullAt(next + 1) ? null : r.getDouble(next + 1), r.getDouble(next + 2), r.getString(next + 3)));
        }

        List<String> top = trials.stream().filter(ReportData.Trial::completed).limit(CURVES)
                .map(ReportData.Trial::trialId).toList();
        // halving's pruned trials: drawn faded behind the survivors, so the chart shows where they stopped
        List<String> pruned = trials.stream().filter(t -> "PRUNED".equals(t.status())).limit(PRUNED_CURVES)
                .map(ReportData.Trial::trialId).toList();
        return new ReportData(selected, trials, curves(spark, top), top.isEmpty() ? null : best(spark, top.get(0)),
                curves(spark, pruned));
    }

    /** Test accuracy after each epoch of each trial, in the given trial order. */
    private static Map<String, List<double[]>> curves(SparkSession spark, List<String> trialIds) {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        trialIds.forEach(id -> curves.put(id, new ArrayList<>()));
        if (!trialIds.isEmpty()) {
            String ids = trialIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "));
            for (Row r : spark.sql("SELECT DISTINCT trial_id, epoch, test_accuracy FROM epochs WHERE trial_id IN ("
                    + ids + ") ORDER BY trial_id, epoch").collectAsList()) {
                curves.get(r.getString(0)).add(new double[] {r.getInt(1), r.getDouble(2)});
            }
        }
        return curves;
    }

    private static final int PRUNED_CURVES = 200;

    private static ReportData.Best best(SparkSession spark, String trialId) {
        List<Row> classes = spark.sql("SELECT class_index, class_name, f1 FROM class_metrics WHERE trial_id = '"
                + trialId + "' ORDER BY class_index").dropDuplicates(new String[] {"class_index"})
                .orderBy("class_index").collectAsList();
        int n = classes.size();
        List<String> names = classes.stream().map(r -> r.getString(1)).toList();
        double[] f1 = classes.stream().mapToDouble(r -> r.getDouble(2)).toArray();
        long[][] confusion = new long[n][n];
        Map<String, Boolean> seen = new HashMap<>();
        for (Row r : spark.sql("SELECT actual, predicted, count FROM confusion WHERE trial_id = '" + trialId + "'")
                .collectAsList()) {
            if (seen.put(r.getInt(0) + "," + r.getInt(1), true) == null) {
                confusion[r.getInt(0)][r.getInt(1)] = r.getLong(2);
            }
        }
        return new ReportData.Best(trialId, names, confusion, f1);
    }
}
