package io.sparksweep.search;

import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.Rungs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asynchronous successive halving (ASHA, as in Ray Tune's scheduler of that name): when a trial reaches a rung, it
 * is compared with every trial that has reached that rung so far, itself included, and goes on only if it ranks in
 * the top {@code ceil(n / eta)} of those n; otherwise it stops there, PRUNED. No rung waits to fill up: the first
 * trials to arrive are compared with fewer others (the price of having no barrier). Decisions depend only on the
 * values recorded at each rung, not on their order, so a resumed sweep rebuilds this state from its stored
 * epochs ({@link #record}) and decides the trials still running exactly as an uninterrupted one would.
 */
public final class AsyncHalving {
    public enum Decision { PROMOTE, PRUNE, COMPLETE }

    private final Rungs rungs;
    private final MetricSpec metric;
    private final Map<Integer, List<Double>> recorded = new HashMap<>();

    public AsyncHalving(Rungs rungs, MetricSpec metric) {
        this.rungs = rungs;
        this.metric = metric;
    }

    public Rungs rungs() {
        return rungs;
    }

    /**
     * A trial reached {@code epoch} with {@code value} of the metric (null or not finite counts as the worst):
     * records it and decides. At {@code maxEpochs} the trial completes.
     */
    public synchronized Decision reached(int epoch, Double value) {
        if (epoch >= rungs.maxEpochs()) {
            return Decision.COMPLETE;
        }
        if (rungs.indexOf(epoch) < 0) {
            throw new IllegalArgumentException(epoch + " is not a rung of " + rungs.epochs());
        }
        double v = comparable(value);
        List<Double> here = recorded.computeIfAbsent(epoch, e -> new ArrayList<>());
        here.add(v);
        long better = here.stream().filter(o -> o > v).count(); // ties go the trial's way
        long keep = (here.size() + rungs.eta() - 1) / rungs.eta();
        return better < keep ? Decision.PROMOTE : Decision.PRUNE;
    }

    /** Adds a value recorded before (resume): it counts in later comparisons, no decision is made for it. */
    public synchronized void record(int epoch, Double value) {
        if (rungs.indexOf(epoch) >= 0) {
            recorded.computeIfAbsent(epoch, e -> new ArrayList<>()).add(comparable(value));
        }
    }

    /** Higher is better from here on; a missing or non-finite value is the worst. */
    private double comparable(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return Double.NEGATIVE_INFINITY;
        }
        return metric.goal() == MetricSpec.Goal.MAXIMIZE ? value : -value;
    }
}
