package io.sparksweep.results;

import io.sparksweep.results.ResultColumns.ClassSource;
import io.sparksweep.results.ResultColumns.ConfusionSource;
import io.sparksweep.results.ResultColumns.EpochSource;
import io.sparksweep.results.ResultColumns.SweepSource;
import io.sparksweep.results.ResultColumns.TrialSource;
import io.sparksweep.train.ClassMetrics;
import io.sparksweep.train.TrialResult;
import org.apache.spark.sql.Row;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns results into rows of the {@link ResultTable}s, by their {@link ResultColumns}. */
final class ResultRows {
    private ResultRows() {
    }

    /** A trial's rows of one of the per-trial tables. */
    static List<Row> of(ResultTable table, SweepRun run, TrialResult r) {
        return switch (table) {
            case TRIALS -> List.of(trial(run, r));
            case EPOCHS -> epochs(run, r);
            case CLASS_METRICS -> classMetrics(run, r);
            case CONFUSION -> confusion(run, r);
            default -> throw new IllegalArgumentException(table + " is not written per trial");
        };
    }

    static Row trial(SweepRun run, TrialResult r) {
        return Column.row(ResultColumns.TRIALS, new TrialSource(run, r));
    }

    static List<Row> epochs(SweepRun run, TrialResult r) {
        String id = r.trialId();
        return r.epochs().stream().map(e -> Column.row(ResultColumns.EPOCHS, new EpochSource(run, id, e))).toList();
    }

    static List<Row> classMetrics(SweepRun run, TrialResult r) {
        List<ClassMetrics> validation = r.validation() == null ? null
                : r.validation().confusion().classMetrics(r.config().dataset().classNames());
        String id = r.trialId();
        return r.classMetrics().stream().map(m -> Column.row(ResultColumns.CLASS_METRICS,
                new ClassSource(run, id, m, validation == null ? null : validation.get(m.classIndex())))).toList();
    }

    static List<Row> confusion(SweepRun run, TrialResult r) {
        List<Row> rows = new ArrayList<>();
        if (r.confusion() != null) {
            String id = r.trialId();
            long[][] counts = r.confusion().counts();
            for (int actual = 0; actual < counts.length; actual++) {
                for (int predicted = 0; predicted < counts.length; predicted++) {
                    rows.add(Column.row(ResultColumns.CONFUSION,
                            new ConfusionSource(run, id, actual, predicted, counts[actual][predicted])));
                }
            }
        }
        return rows;
    }

    static Row fold(SweepRun run, int fold, TrialResult r) {
        return Column.row(ResultColumns.FOLDS, new ResultColumns.FoldSource(run, fold, r));
    }

    static List<Row> importance(SweepRun run, List<ParameterImportance.Importance> importances, Instant at) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < importances.size(); i++) {
            rows.add(Column.row(ResultColumns.IMPORTANCE,
                    new ResultColumns.ImportanceSource(run, importances.get(i), i + 1, at)));
        }
        return rows;
    }

    static Row model(SweepRun run, KeptModel model) {
        return Column.row(ResultColumns.MODELS, new ResultColumns.ModelSource(run, model));
    }

    static Row sweep(SweepRun run, int trialsPlanned, Instant finishedAt, String versions, String stoppedBy) {
        return Column.row(ResultColumns.SWEEPS, new SweepSource(run, trialsPlanned, finishedAt, versions, stoppedBy));
    }
}
