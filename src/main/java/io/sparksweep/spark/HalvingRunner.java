package io.sparksweep.spark;

import io.sparksweep.data.DatasetBundle;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.StoredTrial;
import io.sparksweep.results.SweepRun;
import io.sparksweep.search.AsyncHalving;
import io.sparksweep.search.HalvingReplay;
import io.sparksweep.spec.Rungs;
import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import io.sparksweep.train.TrialTrainer;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a halving sweep: each trial trains rung by rung, one Spark job per stretch (from its checkpoint to the next
 * rung), and at each rung {@link AsyncHalving} promotes it (it trains on, continuing from its checkpoint) or prunes
 * it. No barrier: a freed slot takes the next promoted trial first, else the next new one. After every stretch the
 * trial's rows are rewritten (status PROMOTED while it trains on) and its checkpoint kept beside the results, so
 * an interrupted sweep resumes from the rungs reached, with the same promotion state.
 */
public final class HalvingRunner {
    private final SparkSession spark;
    private final ResultStore store;
    private final int slots;
    /** Stretches kept in flight: {@link SweepRunner#inFlight}. */
    private final int inFlightLimit;
    private final TaskSettings settings;

    public HalvingRunner(SparkSession spark, ResultStore store, int slots, TaskSettings settings) {
        this.spark = spark;
        this.store = store;
        this.slots = slots;
        this.inFlightLimit = SweepRunner.inFlight(spark, slots);
        this.settings = settings;
    }

    /**
     * One trial's progress on the driver: what it has trained so far, and the rung it was last promoted at (0 for
     * none; its next stretch trains to the rung after that). The two differ only for a resumed trial whose
     * checkpoint is lost: it trains again from scratch, straight to its next rung, without deciding again at the
     * rungs it passed.
     */
    private record Progress(TrialConfig trial, TrialResult soFar, TrialTrainer.Checkpoint checkpoint, int promotedAt) {
        Progress(TrialConfig trial, TrialResult soFar, TrialTrainer.Checkpoint checkpoint) {
            this(trial, soFar, checkpoint, soFar == null ? 0 : soFar.epochs().size());
        }

        int trained() {
            return soFar == null ? 0 : soFar.epochs().size();
        }
    }

    /**
     * Runs {@code pending} (the trials without a final row); {@code stored} is what the output already holds for
     * this sweep, whose rung values re-enter the promotion state first. Returns the final results in trial order.
     */
    public List<TrialResult> run(SweepRun run, List<TrialConfig> pending, Map<String, StoredTrial> stored,
            DatasetBundle dataset, SweepListener listener) {
        Rungs rungs = run.spec().rungs();
        AsyncHalving halving = new AsyncHalving(rungs, run.spec().metric());
        Map<String, List<EpochMetrics>> storedEpochs = stored.isEmpty() ? Map.of() : store.storedEpochs(run.sweepId());
        Deque<Progress> queue = new ArrayDeque<>();
        for (StoredTrial s : stored.values()) {
            List<EpochMetrics> epochs = trained(storedEpochs.get(s.trialId()), s.epochsTrained());
            for (int rung : rungs.epochs()) {
                if (rung <= epochs.size()) {
                    halving.record(rung, epochs.get(rung - 1).value(run.spec().metric().name()));
                }
            }
        }
        // Trials start in a seeded random order, not grid order: the first arrivals at a rung face the least
        // competition and are promoted most easily, and they should not all come from one corner of the grid. The
        // order is a function of the seed and each trial's id alone, so a resumed sweep keeps it.
        Map<String, TrialConfig> byId = new HashMap<>();
        pending.forEach(t -> byId.put(t.trialId(), t));
        List<String> startOrder = new ArrayList<>(byId.keySet());
        stored.keySet().stream().filter(id -> !byId.containsKey(id)).forEach(startOrder::add);
        startOrder.sort(java.util.Comparator.comparingLong(id -> startOrder(run.spec().samplerSeed(), id)));
        Map<String, HalvingReplay.Stored> outcomes = new HashMap<>();
        stored.forEach((id, s) -> outcomes.put(id, new HalvingReplay.Stored(
                s.status() == TrialStatus.PROMOTED, s.epochsTrained() == null ? 0 : s.epochsTrained())));
        for (HalvingReplay.Stretch next : HalvingReplay.remaining(startOrder, outcomes, rungs, inFlightLimit)) {
            TrialConfig trial = byId.get(next.trialId());
            if (trial == null) {
                continue; // a stored trial the edited sweep file no longer has: it took its turns, it does not run
            }
            TrialTrainer.Checkpoint checkpoint = next.trainedEpochs() > 0
                    ? store.readCheckpoint(run.sweepId(), trial.trialId(), next.trainedEpochs()) : null;
            if (checkpoint != null) {
                // promoted before the interruption: continue from its checkpoint
                TrialResult soFar = resumed(trial, stored.get(trial.trialId()),
                        trained(storedEpochs.get(trial.trialId()), next.trainedEpochs()));
                queue.addLast(new Progress(trial, soFar, checkpoint));
            } else {
                // new, or promoted with its checkpoint lost (deleted by hand): trains from scratch to its next rung
                queue.addLast(new Progress(trial, null, null, next.trainedEpochs()));
            }
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<DatasetBundle> shipped = jsc.broadcast(dataset);
        Map<String, TrialResult> finals = new HashMap<>();
        List<InFlight> inFlight = new ArrayList<>();
        try {
            while (!queue.isEmpty() || !inFlight.isEmpty()) {
                fill(jsc, run, shipped, listener, rungs, queue, inFlight);
                // With one slot, stretches are decided in the order they were submitted, which is the order they
                // ran in: Spark can report a job done after the next one (their results are fetched on separate
                // threads; the first fetch in a fresh JVM is slow), and deciding in report order would make rung
                // arrivals, and so promotions, differ from run to run.
                InFlight finished = awaitAny(slots == 1 ? inFlight.subList(0, 1) : inFlight);
                inFlight.remove(finished);
                Stretch stretch = new Stretch(finished.before(), finished.toEpoch(),
                        SweepRunner.outcome(run, finished.work(), finished.started(), finished.job()).get(0));
                Decision decision = decide(run, halving, stretch, finals, listener, pending.size());
                if (decision.next() != null) {
                    queue.addFirst(decision.next()); // promotions go before new trials
                }
                // The freed slot gets its next stretch before this one's rows are written (a trial's rows take
                // as long to write as a short stretch takes to train); written before the next decision, so a
                // killed driver leaves every decision but the last on disk, in order.
                fill(jsc, run, shipped, listener, rungs, queue, inFlight);
                decision.persist().run();
            }
            store.deleteAllCheckpoints(run.sweepId());
            return pending.stream().map(t -> finals.get(t.trialId())).toList();
        } catch (io.sparksweep.SweepAbortedException e) {
            jsc.cancelAllJobs();
            throw e;
        } finally {
            shipped.destroy();
        }
    }

    /**
     * Submits queued stretches until {@link SweepRunner#inFlight} are in flight. Jobs are submitted from this
     * thread, one after another: Spark queues them in this order, so with one slot the rung arrivals (and the
     * promotions) are the same in every run of the sweep.
     */
    private void fill(JavaSparkContext jsc, SweepRun run, Broadcast<DatasetBundle> shipped, SweepListener listener,
            Rungs rungs, Deque<Progress> queue, List<InFlight> inFlight) {
        while (!queue.isEmpty() && inFlight.size() < inFlightLimit) {
            Progress next = queue.pollFirst();
            int to = rungs.next(next.promotedAt());
            if (next.soFar() == null) {
                synchronized (listener) {
                    listener.trialStarted(next.trial());
                }
            }
            String description = run.spec().name() + " " + next.trial().trialId() + ": " + next.trial().label()
                    + " (epochs " + (next.trained() + 1) + "-" + to + ")";
            TrialWork work = new TrialWork(new TrialGroup(List.of(next.trial())), next.checkpoint(), to);
            inFlight.add(new InFlight(next, to, work, Instant.now(),
                    SweepRunner.submitAsync(jsc, run, settings, work, shipped, description)));
        }
    }

    /** A trial's place in the start order: its id (a hash) mixed with the seed. */
    static long startOrder(long seed, String trialId) {
        return new java.util.SplittableRandom(seed ^ Long.parseUnsignedLong(trialId, 16)).nextLong();
    }

    private record InFlight(Progress before, int toEpoch, TrialWork work, Instant started,
            JavaFutureAction<List<List<TrialTrainer.Segment>>> job) {
    }

    /** The first submitted job that is done (submission order breaks ties). */
    private static InFlight awaitAny(List<InFlight> inFlight) {
        while (true) {
            for (InFlight job : inFlight) {
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

    private record Stretch(Progress before, int toEpoch, TrialTrainer.Segment segment) {
    }

    /** A finished stretch's outcome: the trial's next stretch (null when it is final) and the writes it needs. */
    private record Decision(Progress next, Runnable persist) {
    }

    /** Decides on a finished stretch: the trial's next stretch, or none when it is final, and its rows to write. */
    private Decision decide(SweepRun run, AsyncHalving halving, Stretch stretch, Map<String, TrialResult> finals,
            SweepListener listener, int total) {
        TrialResult merged = merge(stretch.before().soFar(), stretch.segment().result());
        String trialId = merged.trialId();
        if (merged.status() == TrialStatus.COMPLETED) {
            Double value = merged.epochs().isEmpty() ? null
                    : merged.epochs().get(merged.epochs().size() - 1).value(run.spec().metric().name());
            switch (halving.reached(stretch.toEpoch(), value)) {
                case PROMOTE -> {
                    TrialResult promoted = withStatus(merged, TrialStatus.PROMOTED, "promoted at epoch "
                            + stretch.toEpoch() + "; training on to " + halving.rungs().next(stretch.toEpoch()));
                    return new Decision(new Progress(merged.config(), merged, stretch.segment().checkpoint()), () -> {
                        // checkpoint, then the row that continues from it, then the older checkpoint goes: a
                        // killed driver leaves the checkpoint of whichever row is stored
                        store.writeCheckpoint(run, trialId, stretch.segment().checkpoint());
                        store.writeTrial(run, promoted);
                        store.deleteCheckpoints(run.sweepId(), trialId, stretch.toEpoch());
                        synchronized (listener) {
                            listener.trialPromoted(promoted, stretch.toEpoch());
                        }
                    });
                }
                case PRUNE -> merged = withStatus(merged, TrialStatus.PRUNED, "pruned at epoch " + stretch.toEpoch()
                        + ": " + run.spec().metric().name().key() + " not in the top 1/" + halving.rungs().eta()
                        + " of the trials that reached it");
                case COMPLETE -> { }
            }
        }
        TrialResult last = merged;
        finals.put(trialId, last);
        int done = finals.size();
        return new Decision(null, () -> {
            store.writeTrial(run, last);
            store.deleteCheckpoints(run.sweepId(), trialId, 0);
            synchronized (listener) {
                listener.trialFinished(last, done, total);
            }
        });
    }

    /** The epochs a stored trial had really finished (its row says how many; later rows may be a newer stretch's). */
    private static List<EpochMetrics> trained(List<EpochMetrics> epochs, Integer epochsTrained) {
        if (epochs == null) {
            return List.of();
        }
        return epochsTrained == null ? epochs : epochs.subList(0, Math.min(epochs.size(), epochsTrained));
    }

    private static TrialResult resumed(TrialConfig trial, StoredTrial s, List<EpochMetrics> epochs) {
        return new TrialResult(trial, TrialStatus.PROMOTED, null, null, null, null, null, null, s.trainSeconds(), 0, 0,
                0, 0, 0, epochs, List.of(), null, null, null, s.startedAt(), s.startedAt());
    }

    /** The whole trial so far: earlier stretches' epochs and time, this stretch's latest metrics. */
    private static TrialResult merge(TrialResult before, TrialResult stretch) {
        if (before == null) {
            return stretch;
        }
        List<EpochMetrics> epochs = new ArrayList<>(before.epochs());
        epochs.addAll(stretch.epochs());
        double seconds = before.trainSeconds() + stretch.trainSeconds();
        return new TrialResult(stretch.config(), stretch.status(), stretch.error(), stretch.testAccuracy(),
                stretch.testLoss(), stretch.trainAccuracy(), stretch.trainLoss(), stretch.macroF1(), seconds,
                seconds > 0 ? epochs.size() * (double) stretch.trainSamples() / seconds : 0, stretch.parameterCount(),
                stretch.batchSize(), stretch.trainSamples(), stretch.testSamples(), epochs, stretch.classMetrics(),
                stretch.confusion(), stretch.placement(), stretch.trainLoop(), before.startedAt(), stretch.finishedAt());
    }

    private static TrialResult withStatus(TrialResult r, TrialStatus status, String note) {
        return new TrialResult(r.config(), status, note, r.testAccuracy(), r.testLoss(), r.trainAccuracy(),
                r.trainLoss(), r.macroF1(), r.trainSeconds(), r.samplesPerSecond(), r.parameterCount(), r.batchSize(),
                r.trainSamples(), r.testSamples(), r.epochs(), r.classMetrics(), r.confusion(), r.placement(),
                r.trainLoop(), r.startedAt(), Instant.now());
    }


}
