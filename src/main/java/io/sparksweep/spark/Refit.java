package io.sparksweep.spark;

import io.sparksweep.data.Validation;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.ResultTables;
import io.sparksweep.results.StoredTrial;
import io.sparksweep.results.SweepRun;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.SweepSpec;
import io.sparksweep.train.TrialResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * {@code refit: true}: when the search has ended, the winning configuration (best mean of the sweep's metric over
 * its seeds, as the {@code configs} view ranks them) trains once more on every training image, validation images
 * included, for the epochs it trained, as MLlib's {@code CrossValidatorModel.bestModel} is refit on all data. Its
 * row in {@code trials} names the winner in {@code refit_of}; its test metrics are the sweep's final result.
 * Nothing chooses on it, so it trains without early stopping.
 */
final class Refit {
    /** The trial the search chose and the refit that retrains it. */
    record Chosen(String winnerId, TrialConfig refit) {
    }

    private Refit() {
    }

    /** The refit of the sweep's winner, or empty when no trial completed. */
    static Optional<Chosen> choose(SparkSession spark, ResultStore store, SweepSpec spec) {
        ResultTables.registerViews(spark, store.root(), spec.name(), Set.of(ResultTables.CONFIGS));
        String order = spec.metric().goal() == MetricSpec.Goal.MAXIMIZE ? "DESC" : "ASC";
        List<Row> best = spark.sql("SELECT t.trial_id, t.config, COALESCE(t.epochs_trained, t.epochs) "
                + "FROM (SELECT trial_ids FROM configs ORDER BY metric_mean " + order + " NULLS LAST, config_id "
                + "LIMIT 1) c JOIN trials t ON array_contains(c.trial_ids, t.trial_id) "
                + "ORDER BY t.seed LIMIT 1").collectAsList();
        if (best.isEmpty()) {
            return Optional.empty();
        }
        Row row = best.get(0);
        TrialConfig winner = TrialConfig.parse(row.getString(1), spec.dataset()).orElseThrow();
        TrialConfig refit = winner.withEpochs(row.getInt(2)).withDataset(spec.dataset().withValidation(Validation.NONE));
        return Optional.of(new Chosen(row.getString(0), refit));
    }

    /** Trains the refit as one Spark job and writes its rows; a stored final refit is not trained again. */
    static TrialResult run(JavaSparkContext jsc, RunTrial task, ResultStore store, SweepRun run, Chosen chosen,
            Map<String, StoredTrial> stored, SweepListener listener, ModelKeeper models) {
        StoredTrial done = stored.get(chosen.refit().trialId());
        if (done != null && done.status().isFinal()) {
            return null;
        }
        listener.trialStarted(chosen.refit());
        TrialGroup group = new TrialGroup(List.of(chosen.refit()));
        TrialWork work = new TrialWork(group, null, chosen.refit().epochs(), false, null, List.of(), 0,
                models.refitThreshold());
        jsc.setJobGroup("sparksweep-" + run.runId() + "-refit", run.spec().name() + " refit of " + chosen.winnerId()
                + " on every training image: " + chosen.refit().label(), true);
        TaskOutcome outcome = jsc.parallelize(List.of(work), 1).map(task.refitting()).collect().get(0);
        jsc.clearJobGroup(); // the rows' commits and the summary's queries that follow are not the refit's
        if (!(outcome instanceof TaskOutcome.Trained trained)) {
            throw new io.sparksweep.SweepAbortedException(((TaskOutcome.UnusableGpu) outcome).message());
        }
        TrialResult result = trained.stretch().results().get(0);
        models.keepRefit(result, trained.stretch().models().get(result.trialId()), chosen.winnerId());
        store.writeTrial(run, result);
        return result;
    }
}
