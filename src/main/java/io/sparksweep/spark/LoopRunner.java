package io.sparksweep.spark;

import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DataShipment;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.results.ModelStore;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.StoredTrial;
import io.sparksweep.results.SweepRun;
import io.sparksweep.search.FrozenTrial;
import io.sparksweep.search.History;
import io.sparksweep.search.Methods;
import io.sparksweep.search.Point;
import io.sparksweep.search.Sampler;
import io.sparksweep.search.Scheduler;
import io.sparksweep.search.SweepLoop;
import io.sparksweep.spec.Budget;
import io.sparksweep.spec.SearchMethod;
import io.sparksweep.spec.SweepSpec;
import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import io.sparksweep.train.TrialTrainer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a sweep on Spark, whatever its method: the sweep file's sampler and scheduler in the one ask/tell
 * {@link SweepLoop}, with stretches trained as Spark jobs ({@link SparkTrialExecutor}) and every finished stretch's
 * rows written by a {@link BackgroundWriter} ({@link TrialRows}), so no write stands between a freed slot and its
 * next trial. Resuming is handing the loop the history the output holds: finished trials, promoted ones (which
 * continue from their checkpoints) and failed ones (which run again).
 */
public final class LoopRunner {
    /**
     * How the trials this run trained ended, the budget limit that stopped it (null: none), and the refit of the
     * winner ({@code refit: true}; null without one, or when it was already stored).
     */
    public record Outcome(Tally finished, String stoppedBy, TrialResult refit) {
    }

    private final SparkSession spark;
    private final ResultStore store;
    private final int slots;
    private final TaskSettings settings;

    public LoopRunner(SparkSession spark, ResultStore store, int slots, TaskSettings settings) {
        this.spark = spark;
        this.store = store;
        this.slots = slots;
        this.settings = settings;
    }

    /**
     * Slots for trials: total cores Spark reports (defaultParallelism; on a local master SparkSweep started, the
     * threads asked for, without the one added for commits) divided by {@code spark.task.cpus}.
     */
    public static int defaultSlots(SparkSession spark) {
        int cores = spark.sparkContext().getConf().getInt(SparkSessions.TRIAL_SLOTS,
                spark.sparkContext().defaultParallelism());
        return Math.max(1, cores / taskCpus(spark));
    }

    /** Every task slot Spark has, commits' included. */
    private static int taskSlots(SparkSession spark) {
        return Math.max(1, spark.sparkContext().defaultParallelism() / taskCpus(spark));
    }

    private static int taskCpus(SparkSession spark) {
        return Math.max(1, Integer.parseInt(spark.conf().get("spark.task.cpus", "1")));
    }

    /**
     * Stretches to keep in flight for {@code slots} trials at once: one more, queued in Spark to start the moment
     * a trial ends, but only when {@code slots} takes every task slot Spark has; with fewer, Spark would start the
     * extra job at once, and {@code --slots N} would train N + 1.
     */
    public static int inFlight(SparkSession spark, int slots) {
        return slots >= taskSlots(spark) ? slots + 1 : slots;
    }

    /**
     * Runs the sweep to the end of its search or budget.
     *
     * @param stored the output's trials of this sweep that count for this run (none with --fresh)
     * @param storedFolds the folds of this sweep an earlier run finished (none with --fresh)
     */
    public Outcome run(SweepRun run, DataShipment dataset, Map<String, StoredTrial> stored,
            Map<String, TrialResult> storedFolds, SweepListener listener) {
        SweepSpec spec = run.spec();
        TrialPlan plan = TrialPlan.of(spec);
        Map<String, List<EpochMetrics>> storedEpochs = stored.isEmpty() ? Map.of() : store.storedEpochs(run.sweepId());
        Map<String, TrialResult> soFar = new HashMap<>();
        History history = restored(plan, stored, storedEpochs, soFar);
        PendingTrials pending = new PendingTrials(plan, stored);
        Sampler sampler = Methods.sampler(spec.search(), plan.space(), plan.points());
        Scheduler scheduler = Methods.scheduler(spec.search().scheduler(), t -> pending.of(t).longest().epochs());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<DataShipment> shipped = jsc.broadcast(dataset);
        Map<String, TrialTrainer.Checkpoint> checkpoints = new HashMap<>();
        RunTrial task = new RunTrial(shipped, spec, settings);
        BackgroundWriter writer = new BackgroundWriter(spark.sparkContext(), group -> store.writeTrials(run, group));
        int folds = Math.max(1, spec.dataset().validation().folds());
        ModelKeeper models = ModelKeeper.start(store, new ModelStore(spark.sparkContext().hadoopConfiguration(),
                store.root()), run, counted(stored), data -> DataPreparer.scaling(ExecutorState.decoded(dataset), data));
        SparkTrialExecutor executor = new SparkTrialExecutor(jsc, "sparksweep-" + run.runId() + "-", spec.name(),
                task, pending::of, t -> checkpoint(run, checkpoints, t),
                spec.metric(), slots == 1, elapsedBefore(stored),
                new CrossValidation(folds, store, run, writer, storedFolds), models::threshold, !sampler.learns());
        SweepLoop loop = new SweepLoop(sampler, scheduler, executor, trialsInFlight(spark, slots, folds),
                spec.seeds(), budget(spec), plan::trialId);
        try (TrialRows rows = new TrialRows(store, run, executor, listener, pending, soFar, checkpoints,
                plannedTotal(plan, spec, stored), writer, models)) {
            SweepLoop.Result result = loop.run(history, rows);
            rows.finish();
            store.deleteAllCheckpoints(run.sweepId());
            TrialResult refit = !spec.refit() ? null : Refit.choose(spark, store, spec)
                    .map(chosen -> Refit.run(jsc, task, store, run, chosen, stored, listener, models)).orElse(null);
            return new Outcome(rows.finished(), result.stoppedBy(), refit);
        } catch (RuntimeException e) {
            // a GPU that cannot be used, or rows that cannot be written: the trials still running would end the
            // same way, or their rows would be lost
            executor.cancel();
            throw e;
        } finally {
            shipped.destroy();
        }
    }

    /** The stored trials whose kept models this run keeps: those with a final row (the others train again). */
    private static Set<String> counted(Map<String, StoredTrial> stored) {
        return stored.values().stream().filter(s -> s.status().isFinal()).map(StoredTrial::trialId)
                .collect(Collectors.toSet());
    }

    /**
     * Trials to keep in flight when each trains {@code folds} jobs: enough for every slot, and one more queued so
     * that no slot waits while a trial's last fold finishes.
     */
    private static int trialsInFlight(SparkSession spark, int slots, int folds) {
        return folds == 1 ? inFlight(spark, slots) : (slots + folds - 1) / folds + 1;
    }

    /** The sweep file's budget; TPE's {@code trials} caps the configurations it proposes, times the seeds. */
    private static Budget budget(SweepSpec spec) {
        Budget budget = spec.search().budget();
        if (spec.method() == SearchMethod.TPE && spec.random().trials() > 0) {
            budget = budget.atMostTrials(spec.random().trials() * spec.seeds().size());
        }
        return budget;
    }

    /**
     * Trials a run is expected to train, for its progress line: the plan's trials without a final row in
     * {@code stored}, or as many as TPE may still propose (0 when only a time or target limit bounds it).
     */
    public static int expectedTrials(SweepSpec spec, Map<String, StoredTrial> stored) {
        return plannedTotal(TrialPlan.of(spec), spec, stored);
    }

    private static int plannedTotal(TrialPlan plan, SweepSpec spec, Map<String, StoredTrial> stored) {
        if (spec.method() != SearchMethod.TPE) {
            int total = 0;
            for (Point point : plan.points()) {
                for (long seed : spec.seeds()) {
                    total += PendingTrials.pendingOf(plan.group(point, seed), stored).size();
                }
            }
            return total;
        }
        Integer limit = budget(spec).trials();
        long finished = stored.values().stream().filter(s -> s.status().isFinal()).count();
        return limit == null ? 0 : (int) Math.max(0, limit - finished);
    }

    /**
     * The wall time earlier runs of the sweep spent, for a time budget: from the first stored trial's start to the
     * last one's end.
     */
    private static double elapsedBefore(Map<String, StoredTrial> stored) {
        return stored.values().stream().map(StoredTrial::startedAt).min(Comparator.naturalOrder())
                .flatMap(first -> stored.values().stream().map(StoredTrial::finishedAt).max(Comparator.naturalOrder())
                        .map(last -> Duration.between(first, last).toMillis() / 1000.0))
                .orElse(0.0);
    }

    /** A paused trial's checkpoint: kept from this run, else the one an earlier run stored, else null (lost). */
    private TrialTrainer.Checkpoint checkpoint(SweepRun run, Map<String, TrialTrainer.Checkpoint> kept,
            FrozenTrial trial) {
        TrialTrainer.Checkpoint checkpoint = kept.remove(trial.id());
        if (checkpoint != null && checkpoint.epochs() == trial.epochs()) {
            return checkpoint;
        }
        return store.readCheckpoint(run.sweepId(), trial.id(), trial.epochs());
    }

    /**
     * The history an earlier run left, in the order its trials started: finished trials with their values and
     * status, promoted ones at the epochs they reached (their rows so far in {@code soFar}), and those that failed,
     * timed out or lack a row for one of their epoch counts as promoted at none, so they run again first.
     */
    private static History restored(TrialPlan plan, Map<String, StoredTrial> stored,
            Map<String, List<EpochMetrics>> storedEpochs, Map<String, TrialResult> soFar) {
        SweepSpec spec = plan.spec();
        History history = new History(spec.metric().goal());
        List<StoredTrial> byStart = stored.values().stream().sorted(Comparator.comparing(StoredTrial::startedAt)
                .thenComparing(StoredTrial::trialId)).toList();
        for (StoredTrial s : byStart) {
            Optional<TrialConfig> config = TrialConfig.parse(s.config(), spec.dataset());
            Optional<Map.Entry<Point, Long>> at = config.flatMap(c -> plan.locate(s.trialId(), c));
            if (at.isEmpty()) {
                continue; // a shorter trial of a group, or one the edited sweep file no longer has
            }
            Point point = at.get().getKey();
            long seed = at.get().getValue();
            List<EpochMetrics> epochs = trained(storedEpochs.get(s.trialId()), s.epochsTrained());
            List<Double> values = epochs.stream().map(e -> value(e, spec)).toList();
            TrialStatus state = s.status();
            if (state == TrialStatus.PROMOTED) {
                soFar.put(s.trialId(), TrialResult.promotedSoFar(config.get(), epochs, s.trainSeconds(),
                        s.startedAt()));
            } else if (!PendingTrials.pendingOf(plan.group(point, seed), stored).isEmpty()) {
                state = TrialStatus.PROMOTED; // failed, timed out or short of a row: runs again from scratch, first
                values = List.of();
            }
            history.restore(new FrozenTrial(s.trialId(), history.size(), point, seed, state, values,
                    s.trainSeconds()));
        }
        return history;
    }

    private static double value(EpochMetrics epoch, SweepSpec spec) {
        Double value = epoch.value(spec.metric().name());
        return value == null ? Double.NaN : value;
    }

    /** The epochs a stored trial had really finished (its row says how many; later rows may be a newer stretch's). */
    private static List<EpochMetrics> trained(List<EpochMetrics> epochs, Integer epochsTrained) {
        if (epochs == null) {
            return List.of();
        }
        return epochsTrained == null ? epochs : epochs.subList(0, Math.min(epochs.size(), epochsTrained));
    }
}
