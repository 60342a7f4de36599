package io.sparksweep.results;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The {@code configs} view: trials that differ only in their seed, as one configuration with the mean, standard
 * deviation and a 95% confidence interval (Student's t over its n seeds) of the sweep's metric and of test
 * accuracy. Only trials that trained as planned count (completed or stopped early): a pruned trial's value is at
 * a rung, not comparable with a finished one's. Refit rows are not configurations of the search.
 */
final class ConfigsView {
    static final String NAME = "configs";
    /** The trials columns a configuration is made of: every swept parameter but the seed. */
    static final List<String> PARAMETERS = List.of("model", "hidden_layers", "activation", "conv_channels",
            "kernel_size", "padding", "optimizer", "momentum", "learning_rate", "batch_size", "epochs",
            "weight_init", "dataset");
    /** Degrees of freedom with an exact t quantile; above, 1.96 + 2.4 / df is within 0.001 of it. */
    private static final int EXACT_DF = 100;

    private ConfigsView() {
    }

    /** A column of the view and the SQL that computes it (over {@code finished}, then over {@code grouped}). */
    private record Column(String name, String sql) {
    }

    private static final List<Column> GROUPED = grouped();
    private static final List<Column> INTERVALS = List.of(
            new Column("metric_ci_low", interval("metric_mean", "metric_std", " - ")),
            new Column("metric_ci_high", interval("metric_mean", "metric_std", " + ")),
            new Column("test_accuracy_ci_low", interval("test_accuracy_mean", "test_accuracy_std", " - ")),
            new Column("test_accuracy_ci_high", interval("test_accuracy_mean", "test_accuracy_std", " + ")));

    private static List<Column> grouped() {
        List<Column> columns = new ArrayList<>(List.of(new Column("sweep_id", "sweep_id"),
                new Column("sweep_name", "first(sweep_name)"), new Column("config_id", "config_key")));
        PARAMETERS.forEach(p -> columns.add(new Column(p, "first(" + p + ")")));
        columns.addAll(List.of(new Column("metric", "first(metric_name)"), new Column("n", "count(*)"),
                new Column("seeds", "sort_array(collect_list(seed))"),
                new Column("trial_ids", "collect_list(trial_id)"),
                new Column("metric_mean", "avg(value)"), new Column("metric_std", "stddev_samp(value)"),
                new Column("test_accuracy_mean", "avg(test_accuracy)"),
                new Column("test_accuracy_std", "stddev_samp(test_accuracy)")));
        return List.copyOf(columns);
    }

    /** The view's columns, in order (for {@code tables}, which runs without Spark). */
    static List<String> columns() {
        return Stream.concat(GROUPED.stream(), INTERVALS.stream()).map(Column::name).toList();
    }

    /** Registers the view over the {@code trials} view already registered in {@code spark}. */
    static void register(SparkSession spark) {
        spark.sql(sql()).createOrReplaceTempView(NAME);
    }

    static String sql() {
        return "WITH finished AS (SELECT *, COALESCE(config_id, trial_id) AS config_key, "
                + "COALESCE(metric, 'test_accuracy') AS metric_name, COALESCE(metric_value, test_accuracy) AS value "
                + "FROM trials WHERE refit_of IS NULL AND status IN ('COMPLETED', 'STOPPED_EARLY')), "
                + "grouped AS (SELECT " + select(GROUPED) + " FROM finished GROUP BY sweep_id, config_key) "
                + "SELECT *, " + select(INTERVALS) + " FROM grouped";
    }

    private static String select(List<Column> columns) {
        return columns.stream().map(c -> c.sql() + " AS " + c.name()).collect(Collectors.joining(", "));
    }

    /** mean -/+ t(0.975, n - 1) * std / sqrt(n); null for one seed. */
    private static String interval(String mean, String std, String sign) {
        return "CASE WHEN n > 1 THEN " + mean + sign + "(" + tQuantile("n - 1") + " * " + std + " / sqrt(n)) END";
    }

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom, as SQL. */
    static String tQuantile(String df) {
        String exact = IntStream.rangeClosed(1, EXACT_DF)
                .mapToObj(d -> String.format(Locale.ROOT, "%.5f", quantile(d)))
                .collect(Collectors.joining(", "));
        return "(CASE WHEN " + df + " <= " + EXACT_DF + " THEN element_at(array(" + exact + "), CAST(" + df
                + " AS INT)) ELSE 1.96 + 2.4 / " + df + " END)";
    }

    static double quantile(int df) {
        return new TDistribution(df).inverseCumulativeProbability(0.975);
    }
}
