package io.sparksweep.results;

import io.sparksweep.data.DatasetSpec;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.train.ConfusionMatrix;
import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.Placement;
import io.sparksweep.train.TrainLoop;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import io.sparksweep.train.ValidationMetrics;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads a {@code folds} row back into the fold's result, as {@link ResultColumns#FOLDS} wrote it. */
final class StoredFolds {
    private StoredFolds() {
    }

    /** The fold's result; empty when its config is not one this release can read (rows of a newer one). */
    static Optional<TrialResult> parse(Row r, DatasetSpec dataset) {
        Optional<TrialConfig> config = TrialConfig.parse(r.getAs("config"), dataset);
        if (config.isEmpty() || !config.get().trialId().equals(r.getAs("trial_id"))) {
            return Optional.empty();
        }
        ConfusionMatrix test = confusion(r, "test_confusion");
        ConfusionMatrix validation = confusion(r, "val_confusion");
        String trainLoop = r.getAs("train_loop");
        Placement placement = new Placement(r.getAs("backend"), r.getAs("device"), r.getAs("gpu_address"),
                r.getAs("threads"), r.getAs("executor_id"), r.getAs("host"), r.getAs("dataset_decodes"));
        List<String> classes = config.get().dataset().classNames();
        return Optional.of(new TrialResult(config.get(), TrialStatus.valueOf(r.getAs("status")), r.getAs("error"),
                r.getAs("test_accuracy"), r.getAs("test_loss"), r.getAs("train_accuracy"), r.getAs("train_loss"),
                test == null ? null : test.macroF1(), r.getAs("train_seconds"), 0, r.getAs("parameter_count"),
                r.getAs("batch_size"), r.getAs("train_samples"), r.getAs("test_samples"), epochs(r),
                test == null ? List.of() : test.classMetrics(classes), test, placement,
                trainLoop == null ? null : TrainLoop.valueOf(trainLoop.toUpperCase(Locale.ROOT)), r.getTimestamp(r.fieldIndex("started_at"))
                .toInstant(), r.getTimestamp(r.fieldIndex("finished_at")).toInstant(),
                validation == null ? null : ValidationMetrics.holdout(r.getAs("val_loss"), validation)));
    }

    private static List<EpochMetrics> epochs(Row r) {
        List<Double> train = r.getList(r.fieldIndex("epoch_train_loss"));
        List<Double> loss = r.getList(r.fieldIndex("epoch_val_loss"));
        List<Double> accuracy = r.getList(r.fieldIndex("epoch_val_accuracy"));
        List<Double> seconds = r.getList(r.fieldIndex("epoch_seconds"));
        List<Double> eval = r.getList(r.fieldIndex("epoch_eval_seconds"));
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int e = 0; e < train.size(); e++) {
            epochs.add(new EpochMetrics(e + 1, train.get(e), loss.get(e), accuracy.get(e), null, null, seconds.get(e),
                    eval.get(e)));
        }
        return epochs;
    }

    private static ConfusionMatrix confusion(Row r, String column) {
        if (r.isNullAt(r.fieldIndex(column))) {
            return null;
        }
        List<Long> flat = r.getList(r.fieldIndex(column));
        int n = (int) Math.round(Math.sqrt(flat.size()));
        long[][] counts = new long[n][n];
        for (int i = 0; i < flat.size(); i++) {
            counts[i / n][i % n] = flat.get(i);
        }
        return new ConfusionMatrix(counts);
    }
}
