package io.sparksweep.report;

import io.sparksweep.BadInputException;
import io.sparksweep.results.ParameterImportance;
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

        List<ReportData.Trial> all = trials(spark, in);
        List<ReportData.Trial> trials = all.stream().filter(t -> t.refitOf() == null).toList();
        List<ReportData.Trial> refits = all.stream().filter(t -> t.refitOf() != null).toList();
        List<String> top = trials.stream().filter(ReportData.Trial::completed).limit(CURVES)
                .map(ReportData.Trial::trialId).toList();
        // halving's pruned trials: drawn faded behind the survivors, so the chart shows where they stopped
        List<String> pruned = trials.stream().filter(t -> "PRUNED".equals(t.status())).limit(PRUNED_CURVES)
                .map(ReportData.Trial::trialId).toList();
        Map<String, List<ParameterImportance.Importance>> importance = new LinkedHashMap<>();
        for (Row r : spark.sql("SELECT DISTINCT sweep_id, sweep_name FROM trials WHERE sweep_name IN (" + in
                + ") ORDER BY sweep_name").collectAsList()) {
            importance.put(r.getString(1), ParameterImportance.of(spark, r.getString(0)));
        }
        return new ReportData(selected, trials, curves(spark, top), top.isEmpty() ? null : best(spark, top.get(0)),
                curves(spark, pruned), configs(spark, in), refits, importance);
    }

    /**
     * Each sweep's goal ({@code sweeps.metric_goal} of its latest run; older outputs: maximize) as a score, higher
     * better, so trials of several sweeps rank on one scale.
     */
    private static final String SCORE = "CASE WHEN g.metric_goal = 'minimize' THEN -v ELSE v END";
    private static final String GOALS = "(SELECT sweep_id, max_by(metric_goal, started_at) AS metric_goal FROM sweeps "
            + "GROUP BY sweep_id) g";

    private static List<ReportData.Trial> trials(SparkSession spark, String in) {
        List<ReportData.Trial> trials = new ArrayList<>();
        String columns = PARAMETERS.stream().map(c -> "CAST(t." + c + " AS STRING) AS " + c)
                .collect(Collectors.joining(", "));
        for (Row r : spark.sql("SELECT t.sweep_name, t.trial_id, t.status, " + columns + ", "
                + "COALESCE(t.metric, 'test_accuracy') AS metric, v, t.test_accuracy, t.macro_f1, t.train_seconds, "
                + "t.error, t.refit_of FROM (SELECT *, COALESCE(metric_value, test_accuracy) AS v FROM trials) t "
                + "LEFT JOIN " + GOALS + " USING (sweep_id) WHERE t.sweep_name IN (" + in + ") "
                + "ORDER BY " + SCORE + " DESC NULLS LAST, t.trial_id").collectAsList()) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < PARAMETERS.size(); i++) {
                parameters.put(PARAMETERS.get(i), r.getString(3 + i));
            }
            int next = 3 + PARAMETERS.size();
            trials.add(new ReportData.Trial(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                    parameters, r.getString(next), number(r, next + 1), number(r, next + 2), number(r, next + 3),
                    r.getDouble(next + 4), r.getString(next + 5), r.getString(next + 6)));
        }
        return trials;
    }

    /** The configurations, best mean first; each marked when its 95% interval overlaps the winner's. */
    private static List<ReportData.Config> configs(SparkSession spark, String in) {
        List<String> parameters = PARAMETERS.stream().filter(p -> !p.equals("seed")).toList();
        String columns = parameters.stream().map(c -> "CAST(c." + c + " AS STRING) AS " + c)
                .collect(Collectors.joining(", "));
        List<ReportData.Config> configs = new ArrayList<>();
        for (Row r : spark.sql("SELECT c.sweep_name, c.config_id, " + columns + ", c.metric, c.n, c.metric_mean, "
                + "c.metric_ci_low, c.metric_ci_high, c.test_accuracy_mean FROM (SELECT *, metric_mean AS v FROM "
                + "configs) c LEFT JOIN " + GOALS + " USING (sweep_id) WHERE c.sweep_name IN (" + in + ") "
                + "ORDER BY " + SCORE + " DESC NULLS LAST, c.config_id").collectAsList()) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < parameters.size(); i++) {
                values.put(parameters.get(i), r.getString(2 + i));
            }
            int next = 2 + parameters.size();
            Double low = number(r, next + 3);
            Double high = number(r, next + 4);
            ReportData.Config winner = configs.stream().filter(c -> c.sweep().equals(r.getString(0))).findFirst()
                    .orElse(null);
            boolean overlaps = winner != null && low != null && winner.low() != null
                    && low <= winner.high() && high >= winner.low();
            configs.add(new ReportData.Config(r.getString(0), r.getString(1), values, r.getString(next),
                    r.getLong(next + 1), r.getDouble(next + 2), low, high, number(r, next + 5), overlaps));
        }
        return configs;
    }

    private static Double number(Row r, int i) {
        return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
    }

    /**
     * The accuracy measured after each epoch of each trial (validation where the sweep holds images out, else
     * test), in the given trial order.
     */
    private static Map<String, List<double[]>> curves(SparkSession spark, List<String> trialIds) {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        trialIds.forEach(id -> curves.put(id, new ArrayList<>()));
        if (!trialIds.isEmpty()) {
            String ids = trialIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "));
            for (Row r : spark.sql("SELECT DISTINCT trial_id, epoch, COALESCE(val_accuracy, test_accuracy) FROM epochs "
                    + "WHERE trial_id IN (" + ids + ") ORDER BY trial_id, epoch").collectAsList()) {
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
