package io.sparksweep.spark;

import io.sparksweep.SweepAbortedException;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.search.FrozenTrial;
import io.sparksweep.search.Scheduler;
import io.sparksweep.search.TrialExecutor;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.FoldResults;
import io.sparksweep.train.Placement;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import io.sparksweep.train.TrialTrainer;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Trains the loop's stretches as Spark jobs of one task each, submitted from the loop's thread when it waits for
 * the next to finish, so Spark queues them in the order the loop chose; a job trains one stretch, or several short
 * ones one after another ({@link Packing}). A stretch that continues a trial starts from its checkpoint; one whose
 * checkpoint is lost trains again from scratch (the data order of every epoch depends only on the seed and the
 * epoch, so it reaches the same state). Each finished stretch's results are kept for the runner to write.
 */
final class SparkTrialExecutor implements TrialExecutor {
    /**
     * A finished stretch as Spark returned it: the loop trial's trials' results and where the run got to;
     * {@code fromScratch}: the results hold every epoch (it trained from epoch 1, a new trial or one whose
     * checkpoint was lost; or its folds' results were combined, each continued from the fold's earlier epochs).
     */
    record Trained(FrozenTrial trial, boolean fromScratch, TrialTrainer.Stretch stretch) {
        TrialResult longest() {
            return stretch.results().get(stretch.results().size() - 1);
        }
    }

    /** A stretch to train: the loop's trial and the task's work. */
    private record Piece(FrozenTrial trial, TrialWork work, String description) {
    }

    /** A job in Spark: the stretches its task trains, in order. */
    private record InFlight(List<Piece> pieces, Instant started, JavaFutureAction<List<TaskOutcome>> job) {
    }

    /**
     * What a cross-validated trial's folds do: a finished fold is made durable at once (its checkpoint, then its
     * row), and a fold an earlier run finished is taken as it is.
     */
    interface Folds {
        /** How many folds each trial trains (1: no cross-validation). */
        int count();

        /** The fold's result so far (all its epochs), stored by an earlier run or kept from an earlier stretch. */
        TrialResult soFar(String trialId, int fold);

        /** A fold finished a stretch: its results (all epochs so far) and checkpoint, to be made durable. */
        void finished(FrozenTrial trial, int fold, TrialTrainer.Stretch stretch);

        /** A fold's checkpoint after {@code epochs}, or null when it is lost. */
        TrialTrainer.Checkpoint checkpoint(FrozenTrial trial, int fold, int epochs);
    }

    /** A cross-validated trial's stretch: each fold's results as they come in. */
    private static final class FoldSet {
        final FrozenTrial trial;
        final TrialTrainer.Stretch[] done;
        int missing;

        FoldSet(FrozenTrial trial, int folds) {
            this.trial = trial;
            this.done = new TrialTrainer.Stretch[folds];
            this.missing = folds;
        }
    }

    private final JavaSparkContext jsc;
    private final String jobPrefix;
    private final String sweepName;
    private final RunTrial task;
    private final Function<FrozenTrial, TrialGroup> groups;
    private final Function<FrozenTrial, TrialTrainer.Checkpoint> checkpoints;
    private final MetricSpec metric;
    private final boolean inOrder;
    private final Folds folds;
    private final DoubleSupplier keepModelsAbove;
    private final Map<String, FoldSet> foldSets = new HashMap<>();
    /** Cross-validated trials whose every fold an earlier run finished: done without a job. */
    private final List<FoldSet> ready = new ArrayList<>();
    private final List<InFlight> inFlight = new ArrayList<>();
    /** Stretches submitted and not yet in a job: they go to Spark when the loop waits ({@link #take}). */
    private final List<Piece> unsent = new ArrayList<>();
    /** Completions of a finished job not yet taken (a job of several stretches finishes them all at once). */
    private final Deque<Completion> finished = new ArrayDeque<>();
    private final Packing packing;
    /** Jobs the loop's slots allow at once (see {@link #capacity}). */
    private int jobs = 1;
    private final Map<String, Trained> trained = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private final double secondsBefore;

    /**
     * @param groups the trials a loop trial trains (those not already stored)
     * @param checkpoints a paused trial's checkpoint after its epochs, or null when it is lost
     * @param inOrder report stretches in the order they were submitted (one slot: Spark can report a queued job
     *        done before the one ahead of it, and deciding in report order would make runs differ)
     * @param secondsBefore the wall time earlier runs of the sweep spent (the clock starts there)
     * @param folds each trial's folds: each is its own job, so a trial's folds train in parallel
     * @param keepModelsAbove the score a trial's network must beat to be sent back, as each job is submitted
     * @param packs short stretches may share a job ({@link Packing}): the sampler's points do not depend on results
     */
    SparkTrialExecutor(JavaSparkContext jsc, String jobPrefix, String sweepName, RunTrial task,
            Function<FrozenTrial, TrialGroup> groups, Function<FrozenTrial, TrialTrainer.Checkpoint> checkpoints,
            MetricSpec metric, boolean inOrder, double secondsBefore, Folds folds, DoubleSupplier keepModelsAbove,
            boolean packs) {
        this.packing = new Packing(packs && !inOrder && folds.count() == 1);
        this.folds = folds;
        this.keepModelsAbove = keepModelsAbove;
        this.jsc = jsc;
        this.jobPrefix = jobPrefix;
        this.sweepName = sweepName;
        this.task = task;
        this.groups = groups;
        this.checkpoints = checkpoints;
        this.metric = metric;
        this.inOrder = inOrder;
        this.secondsBefore = secondsBefore;
    }

    @Override
    public void submit(FrozenTrial trial, Scheduler.Stretch stretch) {
        TrialGroup group = groups.apply(trial);
        int toEpoch = Math.min(stretch.toEpoch(), group.longest().epochs());
        if (folds.count() == 1) {
            TrialTrainer.Checkpoint from = trial.epochs() == 0 ? null : checkpoints.apply(trial);
            enqueue(trial, group, from, toEpoch, stretch, 0);
            return;
        }
        FoldSet set = new FoldSet(trial, folds.count());
        foldSets.put(trial.id(), set);
        TrialTrainer.Checkpoint[] from = foldCheckpoints(trial);
        for (int fold = 0; fold < folds.count(); fold++) {
            TrialResult stored = folds.soFar(group.longest().trialId(), fold);
            // only a fold that ended exactly where this stretch ends (a trial run again from scratch may have
            // stored folds further on, from the run that failed)
            if (stored != null && stored.status() == TrialStatus.COMPLETED && stored.epochs().size() == toEpoch) {
                foldDone(set, fold, storedStretch(group, fold));
            } else {
                enqueue(trial, group, from[fold], toEpoch, stretch, fold);
            }
        }
        if (set.missing == 0) {
            ready.add(set);
        }
    }

    /** Each fold's checkpoint to continue from; none at all when one is lost (the folds' epochs must line up). */
    private TrialTrainer.Checkpoint[] foldCheckpoints(FrozenTrial trial) {
        TrialTrainer.Checkpoint[] from = new TrialTrainer.Checkpoint[folds.count()];
        if (trial.epochs() > 0) {
            for (int fold = 0; fold < from.length; fold++) {
                from[fold] = folds.checkpoint(trial, fold, trial.epochs());
                if (from[fold] == null) {
                    return new TrialTrainer.Checkpoint[folds.count()];
                }
            }
        }
        return from;
    }

    /** A fold an earlier run finished this stretch of: its stored results, one per trial of the group. */
    private TrialTrainer.Stretch storedStretch(TrialGroup group, int fold) {
        List<TrialResult> results = new ArrayList<>();
        for (TrialConfig config : group.trials()) {
            TrialResult stored = folds.soFar(config.trialId(), fold);
            results.add(stored != null ? stored : folds.soFar(group.longest().trialId(), fold));
        }
        return new TrialTrainer.Stretch(results, null);
    }

    private void enqueue(FrozenTrial trial, TrialGroup group, TrialTrainer.Checkpoint from, int toEpoch,
            Scheduler.Stretch stretch, int fold) {
        TrialWork work = new TrialWork(group, from, toEpoch, toEpoch < group.longest().epochs(), stretch.rule(),
                from == null ? List.of() : trial.values(), fold, keepModelsAbove.getAsDouble());
        int firstEpoch = from == null ? 1 : from.epochs() + 1;
        String description = group.longest().trialId() + ": " + group.longest().label()
                + (folds.count() > 1 ? " fold " + (fold + 1) + " of " + folds.count() : "")
                + (group.trials().size() > 1 ? " (shared by " + group.trials().size() + " epoch counts)" : "")
                + (firstEpoch > 1 || toEpoch < group.longest().epochs() ? " (epochs " + firstEpoch + "-" + toEpoch + ")"
                : "");
        unsent.add(new Piece(trial, work, description));
    }

    /** Stretches the loop may keep in flight: a job per slot, each training as many as {@link Packing} says. */
    @Override
    public int capacity(int slots) {
        jobs = slots;
        return slots * packing.size();
    }

    /** Hands the unsent stretches to Spark, a pack per job, as many jobs as the slots take (all when unpacked). */
    private void launchUnsent() {
        int size = packing.size();
        while (!unsent.isEmpty() && (size == 1 || inFlight.size() < jobs)) {
            List<Piece> pack = new ArrayList<>(unsent.subList(0, Math.min(size, unsent.size())));
            unsent.subList(0, pack.size()).clear();
            launch(pack);
        }
    }

    private void launch(List<Piece> pack) {
        Piece first = pack.get(0);
        String group = jobPrefix + first.work().group().longest().trialId()
                + (folds.count() > 1 ? "-f" + first.work().fold() : "") + (pack.size() > 1 ? "-p" + pack.size() : "");
        jsc.setJobGroup(group, sweepName + " " + first.description() + (pack.size() > 1 ? " and " + (pack.size() - 1)
                + " more short trials, one after another" : ""), true);
        List<TrialWork> works = pack.stream().map(Piece::work).toList();
        JavaFutureAction<List<TaskOutcome>> job = jsc.parallelize(works, 1).map(task).collectAsync();
        // the group is the thread's until cleared: the summary's queries after the sweep are no trial's
        jsc.clearJobGroup();
        inFlight.add(new InFlight(pack, Instant.now(), job));
    }

    @Override
    public Completion take() {
        while (true) {
            if (!finished.isEmpty()) {
                return finished.poll();
            }
            if (!ready.isEmpty()) {
                return completed(ready.remove(0));
            }
            launchUnsent();
            InFlight done = awaitDone();
            inFlight.remove(done);
            List<TrialTrainer.Stretch> stretches = outcomes(done);
            for (int i = 0; i < stretches.size(); i++) {
                finished(done.pieces().get(i), stretches.get(i));
            }
        }
    }

    /** A stretch of a finished job: its completion, or for a fold, the trial's once every fold is in. */
    private void finished(Piece piece, TrialTrainer.Stretch stretch) {
        if (folds.count() == 1) {
            Completion completion = completion(new Trained(piece.trial(), piece.work().from() == null, stretch));
            packing.observed(completion.seconds());
            finished.add(completion);
            return;
        }
        FoldSet set = foldSets.get(piece.trial().id());
        TrialTrainer.Stretch whole = continuing(set, piece.work(), stretch);
        folds.finished(piece.trial(), piece.work().fold(), whole);
        foldDone(set, piece.work().fold(), whole);
        if (set.missing == 0) {
            finished.add(completed(set));
        }
    }

    /** A fold's stretch with the fold's earlier epochs before it: every fold's results then hold all epochs. */
    private TrialTrainer.Stretch continuing(FoldSet set, TrialWork work, TrialTrainer.Stretch stretch) {
        if (work.from() == null) {
            return stretch;
        }
        List<TrialResult> results = new ArrayList<>();
        for (TrialResult r : stretch.results()) {
            results.add(r.continuing(folds.soFar(r.trialId(), work.fold())));
        }
        return new TrialTrainer.Stretch(results, stretch.checkpoint());
    }

    private static void foldDone(FoldSet set, int fold, TrialTrainer.Stretch stretch) {
        if (set.done[fold] == null) {
            set.missing--;
        }
        set.done[fold] = stretch;
    }

    /** Every fold is in: the trial's results are the folds' combined, each holding all epochs so far. */
    private Completion completed(FoldSet set) {
        foldSets.remove(set.trial.id());
        List<TrialResult> combined = new ArrayList<>();
        for (int t = 0; t < set.done[0].results().size(); t++) {
            List<TrialResult> perFold = new ArrayList<>();
            for (TrialTrainer.Stretch fold : set.done) {
                perFold.add(fold.results().get(t));
            }
            combined.add(FoldResults.combine(perFold));
        }
        return completion(new Trained(set.trial, true, new TrialTrainer.Stretch(combined, null)));
    }

    /**
     * Keeps what the stretch trained for the runner and tells the loop the metric after each new epoch: a result
     * that holds every epoch (trained from scratch, or folds combined) repeats the epochs the loop already has.
     */
    private Completion completion(Trained result) {
        trained.put(result.trial().id(), result);
        TrialResult longest = result.longest();
        int known = result.fromScratch() ? result.trial().epochs() : 0;
        List<EpochMetrics> epochs = longest.epochs();
        List<Double> values = new ArrayList<>();
        for (int e = Math.min(known, epochs.size()); e < epochs.size(); e++) {
            values.add(value(longest, epochs.get(e), e == epochs.size() - 1));
        }
        // COMPLETED: the stretch reached its epoch, where the scheduler decides; anything else ended it there
        TrialStatus ended = longest.status() == TrialStatus.COMPLETED ? null : longest.status();
        return new Completion(result.trial().id(), values, longest.trainSeconds(), ended, longest.error());
    }

    /** What the stretch of {@code trialId} that {@link #take} reported trained, for the runner to store. */
    Trained trained(String trialId) {
        return trained.remove(trialId);
    }

    @Override
    public double now() {
        return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    /** Stops every job in flight (the sweep is stopping: their results could not be stored). */
    void cancel() {
        jsc.cancelAllJobs();
    }

    /**
     * An epoch's value of the metric; a metric measured only at the end (macro F1, train accuracy) has a value at
     * the trial's last epoch only.
     */
    private Double value(TrialResult result, EpochMetrics epoch, boolean last) {
        Double value = epoch.value(metric.name());
        if (value == null && last) {
            value = metric.name() == MetricSpec.Name.MACRO_F1 ? result.macroF1() : result.trainAccuracy();
        }
        return value == null ? Double.NaN : value;
    }

    /** The first submitted job that is done (the oldest only, when in order). */
    private InFlight awaitDone() {
        while (true) {
            for (InFlight job : inOrder ? inFlight.subList(0, 1) : inFlight) {
                if (job.job().isDone()) {
                    return job;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for trials", e);
            }
        }
    }

    /**
     * The stretches the job trained, in order; FAILED results for each when the job failed. An unusable GPU stops
     * the sweep.
     */
    private static List<TrialTrainer.Stretch> outcomes(InFlight done) {
        List<TaskOutcome> outcomes;
        try {
            outcomes = done.job().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials", e);
        } catch (Exception e) { // the job failed (e.g. its task failed on every retry): still result rows
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String error = "Spark job failed: " + firstLine(cause);
            Placement unknown = new Placement("cpu", "cpu", null, 0, "unknown", "unknown", 0);
            return done.pieces().stream().map(piece -> new TrialTrainer.Stretch(piece.work().group().trials()
                    .stream().map(t -> TrialResult.notStarted(t, error, done.started(), unknown)).toList(), null))
                    .toList();
        }
        List<TrialTrainer.Stretch> stretches = new ArrayList<>();
        for (TaskOutcome outcome : outcomes) {
            if (outcome instanceof TaskOutcome.UnusableGpu gpu) {
                // Not this trial's fault, and the same for the trials after it: stop the sweep, record nothing.
                throw new SweepAbortedException(gpu.message());
            }
            stretches.add(((TaskOutcome.Trained) outcome).stretch());
        }
        return stretches;
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
