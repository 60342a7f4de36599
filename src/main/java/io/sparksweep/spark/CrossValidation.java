package io.sparksweep.spark;

import io.sparksweep.results.ResultStore;
import io.sparksweep.results.SweepRun;
import io.sparksweep.search.FrozenTrial;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialTrainer;

import java.util.HashMap;
import java.util.Map;

/**
 * The folds of a cross-validated sweep on the driver: each fold's results so far (from this run, or read back
 * from the {@code folds} table on resume), and each finished fold made durable on the sweep's writer, its
 * checkpoint before its row, so a resumed sweep finds every fold it has a row of and trains only the others.
 */
final class CrossValidation implements SparkTrialExecutor.Folds {
    private final int count;
    private final ResultStore store;
    private final SweepRun run;
    private final BackgroundWriter writer;
    private final Map<String, TrialResult> soFar;
    /** This run's latest checkpoint of each fold, by its checkpoint id: its file may not be written yet. */
    private final Map<String, TrialTrainer.Checkpoint> kept = new HashMap<>();

    /** @param stored the folds an earlier run finished, by {@link ResultStore#foldKey} (none with --fresh) */
    CrossValidation(int count, ResultStore store, SweepRun run, BackgroundWriter writer,
            Map<String, TrialResult> stored) {
        this.count = count;
        this.store = store;
        this.run = run;
        this.writer = writer;
        this.soFar = new HashMap<>(stored);
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public TrialResult soFar(String trialId, int fold) {
        return soFar.get(ResultStore.foldKey(trialId, fold));
    }

    @Override
    public void finished(FrozenTrial trial, int fold, TrialTrainer.Stretch stretch) {
        stretch.results().forEach(r -> soFar.put(ResultStore.foldKey(r.trialId(), fold), r));
        String checkpointId = ResultStore.foldCheckpointId(trial.id(), fold);
        if (stretch.checkpoint() != null) {
            kept.put(checkpointId, stretch.checkpoint());
        }
        writer.submit(() -> {
            if (stretch.checkpoint() != null) {
                store.writeCheckpoint(run, checkpointId, stretch.checkpoint());
            }
            stretch.results().forEach(r -> store.writeFold(run, fold, r));
        });
    }

    @Override
    public TrialTrainer.Checkpoint checkpoint(FrozenTrial trial, int fold, int epochs) {
        String id = ResultStore.foldCheckpointId(trial.id(), fold);
        TrialTrainer.Checkpoint checkpoint = kept.remove(id);
        return checkpoint != null && checkpoint.epochs() == epochs ? checkpoint
                : store.readCheckpoint(run.sweepId(), id, epochs);
    }
}
