package io.sparksweep.search;

import io.sparksweep.train.TrialStatus;
import io.sparksweep.spec.Param;
import io.sparksweep.spec.TpeSettings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Tree-structured Parzen Estimator, multivariate (Optuna's {@code TPESampler(multivariate=True)}, with its
 * defaults): after {@code startupTrials} random points, the points tried so far are split into the best
 * {@code gamma(n) = min(ceil(n / 10), 25)} and the rest, a {@link ParzenEstimator} is fitted to each, and of
 * {@code candidates} points drawn from the good one the point with the highest ratio of good to bad density is
 * proposed.
 * <ul>
 * <li>A point is one observation whatever the number of its seeds: its value is the mean over the seeds that
 * completed. Completed points rank before pruned ones, which rank by the epoch they reached, then by value
 * (Optuna ranks pruned trials the same way).</li>
 * <li>Points in flight count as observations with the worst value (a constant liar), so that several free slots
 * do not all get the same proposal.</li>
 * <li>A point already tried is never proposed again (a trial's id is its point and seed: a repeat would be the
 * same trial): the best untried candidate wins, and if every candidate was tried, more are drawn, then a random
 * untried point is taken.</li>
 * <li>Its random numbers are a function of the seed and the history's size, so a resumed sweep proposes what an
 * uninterrupted one would have, and the same completion order gives the same proposals.</li>
 * </ul>
 */
public final class TpeSampler implements Sampler {
    /** Rounds of candidates drawn before giving up on the model for an untried point. */
    private static final int ROUNDS = 10;

    private final SearchSpace space;
    private final long seed;
    private final TpeSettings settings;

    public TpeSampler(SearchSpace space, long seed, TpeSettings settings) {
        this.space = space;
        this.seed = seed;
        this.settings = settings;
    }

    /**
     * One point's standing: its coordinates and how it ranks: by stage (completed, then pruned or paused, then in
     * flight), then by the epochs it reached (more first), then by score (higher first).
     */
    record Observation(double[] x, int stage, int epochs, double score) {
        static final Comparator<Observation> BEST_FIRST = Comparator.comparingInt(Observation::stage)
                .thenComparing(Comparator.comparingInt(Observation::epochs).reversed())
                .thenComparing(Comparator.comparingDouble(Observation::score).reversed());
    }

    @Override
    public Optional<Point> ask(History history) {
        Random random = RandomPointSampler.randomFor(seed, history);
        List<Observation> observations = observations(history);
        long measured = observations.stream().filter(o -> o.stage() < RUNNING_STAGE).count();
        Set<Point> tried = history.points();
        if (measured < settings.startupTrials()) {
            return RandomPointSampler.untried(space, random, tried);
        }
        int below = gamma((int) measured);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < observations.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(observations::get, Observation.BEST_FIRST));
        ParzenEstimator good = estimator(observations, order.subList(0, below));
        ParzenEstimator bad = estimator(observations, order.subList(below, order.size()));
        for (int round = 0; round < ROUNDS; round++) {
            Optional<Point> best = bestCandidate(good, bad, tried, random);
            if (best.isPresent()) {
                return best;
            }
        }
        return RandomPointSampler.untried(space, random, tried);
    }

    /** Optuna's default split: the best tenth, at most 25. */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    private Optional<Point> bestCandidate(ParzenEstimator good, ParzenEstimator bad, Set<Point> tried,
            Random random) {
        Point best = null;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < settings.candidates(); c++) {
            double[] x = good.sample(random);
            Point point = toPoint(x);
            double ratio = good.logPdf(x) - bad.logPdf(x);
            if (!tried.contains(point) && (best == null || ratio > bestRatio)) {
                best = point;
                bestRatio = ratio;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The estimator of the observations at {@code indices}, taken in the order they were made. */
    private ParzenEstimator estimator(List<Observation> observations, List<Integer> indices) {
        List<Integer> chronological = indices.stream().sorted().toList();
        List<double[]> xs = chronological.stream().map(i -> observations.get(i).x()).toList();
        return new ParzenEstimator(space, xs, ParzenEstimator.defaultWeights(xs.size()));
    }

    static final int COMPLETED_STAGE = 0;
    static final int PRUNED_STAGE = 1;
    static final int RUNNING_STAGE = 2;

    /** One observation per point, in the order points were first tried; failed points teach nothing. */
    List<Observation> observations(History history) {
        Map<Point, List<FrozenTrial>> byPoint = new LinkedHashMap<>();
        for (FrozenTrial trial : history.trials()) {
            byPoint.computeIfAbsent(trial.point(), p -> new ArrayList<>()).add(trial);
        }
        List<Observation> observations = new ArrayList<>();
        byPoint.forEach((point, trials) -> observation(history, point, trials).ifPresent(observations::add));
        return observations;
    }

    private Optional<Observation> observation(History history, Point point, List<FrozenTrial> trials) {
        double[] x = toInternal(point);
        List<FrozenTrial> completed = trials.stream().filter(t -> t.state().completed()).toList();
        if (!completed.isEmpty()) {
            double mean = completed.stream().mapToDouble(t -> history.score(t.lastValue())).average().orElseThrow();
            return Optional.of(new Observation(x, COMPLETED_STAGE, 0, mean));
        }
        List<FrozenTrial> stopped = trials.stream().filter(t -> (t.state() == TrialStatus.PRUNED
                || t.state() == TrialStatus.PROMOTED) && t.epochs() > 0).toList();
        if (!stopped.isEmpty()) {
            int epoch = stopped.stream().mapToInt(FrozenTrial::epochs).min().orElseThrow();
            double mean = stopped.stream().mapToDouble(t -> history.score(t.valueAt(epoch))).average().orElseThrow();
            return Optional.of(new Observation(x, PRUNED_STAGE, epoch, mean));
        }
        if (trials.stream().anyMatch(t -> t.state() == TrialStatus.RUNNING || t.state() == TrialStatus.PROMOTED)) {
            return Optional.of(new Observation(x, RUNNING_STAGE, 0, Double.NEGATIVE_INFINITY));
        }
        return Optional.empty();
    }

    private double[] toInternal(Point point) {
        double[] x = new double[space.dimensions().size()];
        for (int d = 0; d < x.length; d++) {
            SearchSpace.Dimension dimension = space.dimensions().get(d);
            Object value = point.get(dimension.param());
            x[d] = dimension instanceof SearchSpace.Numeric numeric ? numeric.toInternal(value)
                    : ((SearchSpace.Categorical) dimension).indexOf(value);
        }
        return x;
    }

    private Point toPoint(double[] x) {
        Map<Param, Object> values = new LinkedHashMap<>();
        for (int d = 0; d < x.length; d++) {
            SearchSpace.Dimension dimension = space.dimensions().get(d);
            values.put(dimension.param(), dimension instanceof SearchSpace.Numeric numeric
                    ? numeric.fromInternal(x[d]) : ((SearchSpace.Categorical) dimension).choices().get((int) x[d]));
        }
        return new Point(values);
    }
}
