package io.sparksweep.search;

import io.sparksweep.train.TrialStatus;
import io.sparksweep.spec.Budget;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/**
 * The one loop every search method runs in (Optuna's ask/tell, Ray Tune's trial runner): whenever a slot is free,
 * a paused trial the scheduler promoted continues, else the sampler is asked for a new point, which starts as one
 * trial per seed; every finished stretch is told to the history (which the sampler reads) and decided by the
 * scheduler. No more stretches are in flight than the executor takes for {@code slots} at once, and no new trial
 * starts once the budget is reached. Resuming is giving the loop the history the output holds.
 */
public final class SweepLoop {
    /** What the loop reports as it goes (rows to write, progress to show). */
    public interface Listener {
        default void started(FrozenTrial trial) {
        }

        /** A stretch ended; {@code trial} is the trial after it (its new state and values). */
        default void ended(FrozenTrial trial, TrialExecutor.Completion completion) {
        }
    }

    /** The history at the end, and the budget limit that stopped new trials (null if none did). */
    public record Result(History history, String stoppedBy) {
    }

    private final Sampler sampler;
    private final Scheduler scheduler;
    private final TrialExecutor executor;
    private final int slots;
    private final List<Long> seeds;
    private final Budget budget;
    private final BiFunction<Point, Long, String> trialIds;

    /** @param trialIds a trial's id from its point and seed (the same in every run, so resume finds it) */
    public SweepLoop(Sampler sampler, Scheduler scheduler, TrialExecutor executor, int slots, List<Long> seeds,
            Budget budget, BiFunction<Point, Long, String> trialIds) {
        if (slots < 1 || seeds.isEmpty()) {
            throw new IllegalArgumentException("a loop needs a slot and a seed");
        }
        this.sampler = sampler;
        this.scheduler = scheduler;
        this.executor = executor;
        this.slots = slots;
        this.seeds = List.copyOf(seeds);
        this.budget = budget;
        this.trialIds = trialIds;
    }

    /** Runs until nothing is left to run; {@code history} holds what an earlier run stored (resume), or nothing. */
    public Result run(History history, Listener listener) {
        Queue queue = new Queue(history);
        int inFlight = 0;
        while (true) {
            FrozenTrial next;
            while (inFlight < executor.capacity(slots) && (next = queue.next()) != null) {
                submit(history, next, listener);
                inFlight++;
            }
            if (inFlight == 0) {
                return new Result(history, queue.stoppedBy);
            }
            FrozenTrial paused = finish(history, executor.take(), listener);
            inFlight--;
            if (paused != null) {
                queue.ready.add(paused);
            }
        }
    }

    /** What starts next when a slot is free: a promoted trial, a further seed of a new point, or a new point. */
    private final class Queue {
        final History history;
        final Deque<FrozenTrial> ready; // promoted, waiting for a slot (also those promoted before a resume)
        final Deque<FrozenTrial> waiting = new ArrayDeque<>(); // further seeds of a new point
        String stoppedBy;
        boolean exhausted;

        Queue(History history) {
            this.history = history;
            this.ready = new ArrayDeque<>(history.inState(TrialStatus.PROMOTED));
        }

        /** The next trial to submit, or null when none may start now. */
        FrozenTrial next() {
            FrozenTrial next = ready.isEmpty() ? waiting.poll() : ready.poll();
            if (next != null || exhausted || stoppedBy != null) {
                return next;
            }
            stoppedBy = reached(history);
            Optional<Point> point = stoppedBy == null ? sampler.ask(history) : Optional.empty();
            exhausted = stoppedBy == null && point.isEmpty();
            if (point.isEmpty()) {
                return null;
            }
            List<FrozenTrial> trials = newTrials(point.get(), history.size());
            if (history.get(trials.get(0).id()) != null) { // it would be asked again and again
                throw new IllegalStateException("the sampler proposed " + point.get() + " again");
            }
            waiting.addAll(trials.subList(1, trials.size()));
            return trials.get(0);
        }
    }

    /** Which limit of the budget is reached ("trials", "time", "target"), or null while trials may start. */
    private String reached(History history) {
        if (budget.trials() != null && history.size() >= budget.trials()) {
            return "trials";
        }
        if (budget.time() != null && executor.now() >= budget.time().toMillis() / 1000.0) {
            return "time";
        }
        OptionalDouble best = history.best();
        if (budget.target() != null && best.isPresent()
                && history.score(best.getAsDouble()) >= history.score(budget.target())) {
            return "target";
        }
        return null;
    }

    private List<FrozenTrial> newTrials(Point point, int number) {
        List<FrozenTrial> trials = new ArrayList<>();
        for (long seed : seeds) {
            trials.add(new FrozenTrial(trialIds.apply(point, seed), number + trials.size(), point, seed,
                    TrialStatus.RUNNING, List.of(), 0));
        }
        return trials;
    }

    private void submit(History history, FrozenTrial trial, Listener listener) {
        FrozenTrial running = trial.with(TrialStatus.RUNNING, trial.values(), trial.seconds());
        history.put(running);
        if (trial.epochs() == 0) {
            listener.started(running);
        }
        executor.submit(running, scheduler.next(running, history));
    }

    /** Applies a finished stretch; returns the trial when the scheduler promoted it (it continues when a slot is free). */
    private FrozenTrial finish(History history, TrialExecutor.Completion completion, Listener listener) {
        FrozenTrial before = history.get(completion.trialId());
        List<Double> values = new ArrayList<>(before.values());
        values.addAll(completion.values());
        double seconds = before.seconds() + completion.seconds();
        FrozenTrial trained = before.with(TrialStatus.RUNNING, values, seconds);
        history.put(trained);
        TrialStatus state = completion.ended() != null ? completion.ended()
                : switch (scheduler.decide(trained, history)) {
                    case CONTINUE -> TrialStatus.PROMOTED;
                    case STOP -> TrialStatus.PRUNED;
                    case COMPLETE -> TrialStatus.COMPLETED;
                };
        FrozenTrial after = trained.with(state, values, seconds);
        history.put(after);
        listener.ended(after, completion);
        return state == TrialStatus.PROMOTED ? after : null;
    }
}
