package io.sparksweep.search;

import io.sparksweep.spec.Budget;
import io.sparksweep.spec.MetricSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Replays search methods against recorded results ({@link RecordedExecutor}) through the same {@link SweepLoop} a
 * real sweep runs in: what each method would have found, after how many trials and how many trial-epochs, without
 * training anything. Each method runs once per repeat, with the sampler seeded by the repeat.
 */
public final class Simulation {
    /** A sampler with a scheduler, e.g. {@code tpe+asha}; both made per repeat. */
    public record Method(String name, LongFunction<Sampler> sampler, Scheduler scheduler) {
    }

    /**
     * One run: the best completed value after each trial (by start order, once every trial before it has ended)
     * and, for each completed trial in the order they ended, the trial-epochs spent by then and the best so far.
     */
    public record Run(double[] bestAfterTrials, List<double[]> bestByEpochs, long trialEpochs) {
        /** The best value once {@code trials} trials have run (NaN when none completed yet). */
        public double bestAfter(int trials) {
            return trials < 1 || bestAfterTrials.length == 0 ? Double.NaN
                    : bestAfterTrials[Math.min(trials, bestAfterTrials.length) - 1];
        }

        /** The best value found within {@code epochs} trial-epochs (NaN when none completed by then). */
        public double bestWithin(long epochs) {
            double best = Double.NaN;
            for (double[] point : bestByEpochs) {
                if (point[0] <= epochs) {
                    best = point[1];
                }
            }
            return best;
        }
    }

    private final Map<Point, RecordedExecutor.Curve> table;
    private final MetricSpec.Goal goal;
    private final int slots;

    public Simulation(Map<Point, RecordedExecutor.Curve> table, MetricSpec.Goal goal, int slots) {
        this.table = Map.copyOf(table);
        this.goal = goal;
        this.slots = slots;
    }

    public List<Run> run(Method method, int trials, int repeats) {
        List<Run> runs = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            runs.add(once(method, trials, repeat));
        }
        return runs;
    }

    private Run once(Method method, int trials, long seed) {
        RecordedExecutor executor = new RecordedExecutor(table, goal);
        History history = new History(goal);
        List<double[]> byEpochs = new ArrayList<>();
        long[] epochsSoFar = {0};
        double[] best = {Double.NaN};
        SweepLoop loop = new SweepLoop(method.sampler().apply(seed), method.scheduler(), executor, slots,
                List.of(0L), new Budget(trials, null, null), (point, s) -> point.toString());
        loop.run(history, new SweepLoop.Listener() {
            @Override
            public void ended(FrozenTrial trial, TrialExecutor.Completion completion) {
                epochsSoFar[0] += completion.values().size();
                if (trial.state().completed() && (Double.isNaN(best[0])
                        || history.score(trial.lastValue()) > history.score(best[0]))) {
                    best[0] = trial.lastValue();
                }
                byEpochs.add(new double[] {epochsSoFar[0], best[0]});
            }
        });
        return new Run(bestAfterTrials(history), byEpochs, executor.trialEpochs());
    }

    /** Best completed value among trials 1..k, for each k (trials numbered in start order). */
    private double[] bestAfterTrials(History history) {
        List<FrozenTrial> trials = history.trials();
        double[] out = new double[trials.size()];
        double best = Double.NaN;
        for (int k = 0; k < trials.size(); k++) {
            FrozenTrial trial = trials.get(k);
            if (trial.state().completed()
                    && (Double.isNaN(best) || history.score(trial.lastValue()) > history.score(best))) {
                best = trial.lastValue();
            }
            out[k] = best;
        }
        return out;
    }

    /** Mean and standard error of a statistic over runs, e.g. {@code 0.8843 ± 0.0012}; NaN runs are skipped. */
    public static String meanAndError(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return "-";
        }
        double mean = Arrays.stream(finite).average().orElseThrow();
        double variance = Arrays.stream(finite).map(v -> (v - mean) * (v - mean)).sum()
                / Math.max(1, finite.length - 1);
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean, Math.sqrt(variance / finite.length));
    }
}
