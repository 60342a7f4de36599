package io.sparksweep.spark;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.SweepRun;
import io.sparksweep.search.FrozenTrial;
import io.sparksweep.search.SweepLoop;
import io.sparksweep.search.TrialExecutor;
import io.sparksweep.spec.Rungs;
import io.sparksweep.spec.SchedulerSpec;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import io.sparksweep.train.TrialTrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the loop's events into rows: a promoted trial's checkpoint and PROMOTED row (the checkpoint first, the
 * older one deleted only after the row that continues from the newer is written, so a killed driver always finds
 * the checkpoint of the row it has), and a finished trial's rows, one trial per epoch count of its group, the
 * longest last, each with its kept model ({@link ModelKeeper}). Writes run in order on a {@link BackgroundWriter}.
 */
final class TrialRows implements SweepLoop.Listener, AutoCloseable {
    private final ResultStore store;
    private final SweepRun run;
    private final SparkTrialExecutor executor;
    private final SweepListener listener;
    private final PendingTrials pending;
    /** A promoted trial's rows so far, by loop trial id. */
    private final Map<String, TrialResult> soFar;
    /** Checkpoints of promoted trials, for their next stretch, by loop trial id. */
    private final Map<String, TrialTrainer.Checkpoint> checkpoints;
    private final int total;
    private final BackgroundWriter writer;
    private final ModelKeeper models;
    private final Tally finished = new Tally();

    TrialRows(ResultStore store, SweepRun run, SparkTrialExecutor executor, SweepListener listener,
            PendingTrials pending, Map<String, TrialResult> soFar, Map<String, TrialTrainer.Checkpoint> checkpoints,
            int total, BackgroundWriter writer, ModelKeeper models) {
        this.writer = writer;
        this.models = models;
        this.store = store;
        this.run = run;
        this.executor = executor;
        this.listener = listener;
        this.pending = pending;
        this.soFar = soFar;
        this.checkpoints = checkpoints;
        this.total = total;
    }

    @Override
    public void started(FrozenTrial trial) {
        synchronized (listener) {
            for (TrialConfig config : pending.of(trial).trials()) {
                listener.trialStarted(config);
            }
        }
    }

    @Override
    public void ended(FrozenTrial trial, TrialExecutor.Completion completion) {
        SparkTrialExecutor.Trained trained = executor.trained(trial.id());
        TrialResult before = soFar.remove(trial.id());
        // a stretch from scratch (its checkpoint was lost) holds every epoch itself
        TrialResult longest = trained.fromScratch() ? trained.longest() : trained.longest().continuing(before);
        // rows of a trial that went through a rung before (in this run or a killed one) replace those
        boolean replacing = before != null;
        switch (trial.state()) {
            case PROMOTED -> promoted(trial, trained, longest, replacing);
            case PRUNED -> finished(trained, longest.status() == TrialStatus.PRUNED ? longest
                    : longest.withStatus(TrialStatus.PRUNED, prunedNote(trial.epochs())), replacing);
            default -> finished(trained, longest, replacing);
        }
    }

    private void promoted(FrozenTrial trial, SparkTrialExecutor.Trained trained, TrialResult longest,
            boolean replacing) {
        int epoch = trial.epochs();
        TrialTrainer.Checkpoint checkpoint = trained.stretch().checkpoint();
        soFar.put(trial.id(), longest);
        checkpoints.put(trial.id(), checkpoint);
        TrialResult promoted = longest.withStatus(TrialStatus.PROMOTED, "promoted at epoch " + epoch
                + "; training on");
        writer.submit(new BackgroundWriter.Rows(promoted, replacing, () -> {
            if (checkpoint != null) { // null for folds: each fold's is written as the fold finishes
                store.writeCheckpoint(run, trial.id(), checkpoint);
            }
        }, () -> null, List.of(), () -> {
            store.deleteCheckpoints(run.sweepId(), trial.id(), epoch);
            synchronized (listener) {
                listener.trialPromoted(promoted, epoch);
            }
        }));
    }

    /** Why ASHA or Hyperband (the schedulers that stop a trial at a rung, so {@code rungs()} is set) pruned it. */
    private String prunedNote(int epoch) {
        Rungs rungs = run.spec().rungs();
        return "pruned at epoch " + epoch + ": " + run.spec().metric().name().key() + " not in the top 1/"
                + rungs.eta() + " of the trials that reached it" + (run.spec().search().scheduler()
                instanceof SchedulerSpec.Hyperband ? " in its bracket" : "");
    }

    private void finished(SparkTrialExecutor.Trained trained, TrialResult longest, boolean replacing) {
        List<TrialResult> results = new ArrayList<>(trained.stretch().results());
        results.set(results.size() - 1, longest);
        for (TrialResult result : results) {
            int done = finished.add(result);
            ModelKeeper.Change model = models.offer(result, trained.stretch().models().get(result.trialId()));
            writer.submit(new BackgroundWriter.Rows(result, replacing, () -> { }, model.save(), model.evicted(), () -> {
                models.deleteFiles(model.evicted());
                synchronized (listener) {
                    listener.trialFinished(result, done, Math.max(total, done));
                }
            }));
        }
        String id = trained.trial().id();
        writer.submit(() -> store.deleteCheckpoints(run.sweepId(), id, 0));
    }

    /** Waits for every write, then throws the first failed one's error. */
    void finish() {
        writer.finish();
    }

    Tally finished() {
        return finished;
    }

    @Override
    public void close() {
        writer.close();
    }
}
