package io.sparksweep.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Asynchronous successive halving (ASHA, Ray Tune's scheduler of that name): rungs at {@code minEpochs * eta^k}
 * below {@code maxEpochs}. A trial that reaches a rung is compared with every trial that has a value there, itself
 * included, and goes on only in the top {@code ceil(n / eta)}; ties go its way. Nothing waits for a rung to fill.
 * Trials of one point with several seeds are one configuration there: ranked on their mean.
 * The values compared are the trials' own epochs in the history: nothing to rebuild on resume.
 */
public final class AshaScheduler implements Scheduler {
    private final List<Integer> rungs;
    private final int maxEpochs;
    private final int eta;
    /** Which trials compete with each other (Hyperband: those of one bracket). */
    private final Predicate<FrozenTrial> cohort;

    public AshaScheduler(int minEpochs, int maxEpochs, int eta) {
        this(minEpochs, maxEpochs, eta, t -> true);
    }

    AshaScheduler(int minEpochs, int maxEpochs, int eta, Predicate<FrozenTrial> cohort) {
        if (minEpochs < 1 || minEpochs > maxEpochs || eta < 2) {
            throw new IllegalArgumentException("rungs need 1 <= min <= max and eta >= 2");
        }
        this.rungs = rungs(minEpochs, maxEpochs, eta);
        this.maxEpochs = maxEpochs;
        this.eta = eta;
        this.cohort = cohort;
    }

    /** The mean score; a seed without a finite value scores worst, and so does its point. */
    private static double mean(List<Double> scores) {
        return scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NEGATIVE_INFINITY);
    }

    /** {@code min * eta^k} below {@code max}. */
    static List<Integer> rungs(int min, int max, int eta) {
        List<Integer> rungs = new ArrayList<>();
        for (long r = min; r < max; r *= eta) {
            rungs.add((int) r);
        }
        return rungs;
    }

    public List<Integer> rungs() {
        return rungs;
    }

    @Override
    public Stretch next(FrozenTrial trial, History history) {
        int to = rungs.stream().filter(r -> r > trial.epochs()).findFirst().orElse(maxEpochs);
        return new Stretch(to, null);
    }

    @Override
    public Decision decide(FrozenTrial trial, History history) {
        int epoch = trial.epochs();
        if (epoch >= maxEpochs) {
            return Decision.COMPLETE;
        }
        // A point's seeds compete as one configuration, on the mean of those that have reached the rung: with
        // one seed per point, trials and points are the same.
        Map<Point, List<Double>> byPoint = new LinkedHashMap<>();
        for (FrozenTrial other : history.trials()) {
            if (other.epochs() >= epoch && (other.id().equals(trial.id()) || cohort.test(other))) {
                byPoint.computeIfAbsent(other.point(), p -> new ArrayList<>()).add(history.score(other.valueAt(epoch)));
            }
        }
        byPoint.computeIfAbsent(trial.point(), p -> new ArrayList<>(List.of(history.score(trial.valueAt(epoch)))));
        double mine = mean(byPoint.get(trial.point()));
        long better = byPoint.values().stream().filter(v -> mean(v) > mine).count();
        long keep = (byPoint.size() + eta - 1) / eta;
        return better < keep ? Decision.CONTINUE : Decision.STOP;
    }
}
