package io.sparksweep.results;

import io.sparksweep.BadInputException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Set;

/**
 * The kept models of an output, ranked within each sweep: a sweep's refit first (its final model: the winner
 * retrained on every training image), then its trials best first by the sweep's metric. Rank 1 is what
 * {@code export --best} takes and the {@code run} summary names. A model's file is found under the output it is
 * read from ({@link ModelStore#path}), so an output copied or moved elsewhere keeps its models; the {@code path}
 * column says where the file was written.
 */
public final class KeptModels {
    private KeptModels() {
    }

    /** Every kept model whose trial's row is written, with its {@code rank} in its sweep. */
    public static Dataset<Row> ranked(SparkSession spark, String outputDir, String sweepName) {
        ResultTables.registerViews(spark, outputDir, sweepName, Set.of(ResultTable.MODELS.tableName()));
        return spark.sql("SELECT sweep_id, sweep_name, rank() OVER (PARTITION BY sweep_id ORDER BY refit_of IS NULL, "
                + "CASE WHEN metric_goal = 'minimize' THEN metric_value ELSE -metric_value END, trial_id) AS rank, "
                + "trial_id, refit_of, metric, metric_value, test_accuracy, bytes, sha256, path, saved_at "
                + "FROM models ORDER BY sweep_name, rank");
    }

    /** The best kept model of the one sweep with models in the output, or of {@code sweepName}. */
    public static Row best(SparkSession spark, String outputDir, String sweepName) {
        List<Row> firsts = ranked(spark, outputDir, sweepName).where("rank = 1").collectAsList();
        if (firsts.isEmpty()) {
            throw new BadInputException("no kept models in " + outputDir + (sweepName == null ? ""
                    : " for sweep " + sweepName) + " (keep_models in the sweep file says which are kept)");
        }
        if (firsts.size() > 1) {
            throw new BadInputException("--best: " + outputDir + " has kept models of " + firsts.size()
                    + " sweeps (" + String.join(", ", firsts.stream().map(r -> r.<String>getAs("sweep_name")).toList())
                    + "): name one with --sweep");
        }
        return firsts.get(0);
    }

    /** The kept model of {@code trialId}; a trial without one is bad input listing those that have one. */
    public static Row ofTrial(SparkSession spark, String outputDir, String sweepName, String trialId) {
        List<Row> all = ranked(spark, outputDir, sweepName).collectAsList();
        List<Row> matches = all.stream().filter(r -> r.getAs("trial_id").equals(trialId)).toList();
        if (matches.isEmpty()) {
            throw new BadInputException("--trial " + trialId + ": no kept model" + (sweepName == null ? ""
                    : " in sweep " + sweepName) + "; kept: " + (all.isEmpty() ? "none" : String.join(", ",
                    all.stream().map(r -> r.getAs("trial_id") + " (" + r.getAs("sweep_name") + ")").toList())));
        }
        if (matches.size() > 1) {
            throw new BadInputException("--trial " + trialId + ": kept in several sweeps ("
                    + String.join(", ", matches.stream().map(r -> r.<String>getAs("sweep_name")).toList()) + "): name one with --sweep");
        }
        return matches.get(0);
    }
}
