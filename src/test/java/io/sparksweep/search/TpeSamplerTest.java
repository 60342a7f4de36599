package io.sparksweep.search;

import io.sparksweep.train.TrialStatus;
import io.sparksweep.spec.TpeSettings;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.Param;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TpeSamplerTest {
    @Test
    void categoricalDensityIsTheSmoothedOneHotMixture() {
        SearchSpace space = new SearchSpace(List.of(new SearchSpace.Categorical(Param.OPTIMIZER,
                List.of("sgd", "momentum", "adam"))));
        ParzenEstimator estimator = new ParzenEstimator(space, List.of(new double[] {0}, new double[] {0}),
                new double[] {1, 1});
        // each observation row: (1/3 + 1, 1/3, 1/3) / 2; the prior row: 1/3 each; components weighted 1/3 each
        assertEquals(Math.log((2.0 / 3 + 2.0 / 3 + 1.0 / 3) / 3), estimator.logPdf(new double[] {0}), 1e-12);
        assertEquals(Math.log((1.0 / 6 + 1.0 / 6 + 1.0 / 3) / 3), estimator.logPdf(new double[] {2}), 1e-12);
    }

    @Test
    void numericDensityIsTheTruncatedGaussianMixtureWithScottsBandwidthAndTheMagicClip() {
        SearchSpace space = new SearchSpace(List.of(new SearchSpace.Numeric(Param.MOMENTUM, 0, 1, false, false)));
        ParzenEstimator estimator = new ParzenEstimator(space, List.of(new double[] {0.2}, new double[] {0.6}),
                new double[] {1, 1});
        // Scott: 0.2 * 2^(-1/5) = 0.174 of the range, below the clip of 1 / min(100, 1 + 3) = 0.25: sigma 0.25;
        // the prior: mean 0.5, sigma 1; every component truncated to [0, 1] and weighted 1/3
        double x = 0.4;
        double expected = (truncated(x, 0.2, 0.25) + truncated(x, 0.6, 0.25) + truncated(x, 0.5, 1.0)) / 3;
        assertEquals(Math.log(expected), estimator.logPdf(new double[] {x}), 1e-9);
    }

    private static double truncated(double x, double mu, double sigma) {
        NormalDistribution normal = new NormalDistribution(mu, sigma);
        return normal.density(x) / (normal.cumulativeProbability(1) - normal.cumulativeProbability(0));
    }

    @Test
    void optunasGammaAndWeights() {
        assertEquals(List.of(1, 1, 2, 3, 25), List.of(TpeSampler.gamma(1), TpeSampler.gamma(10),
                TpeSampler.gamma(11), TpeSampler.gamma(30), TpeSampler.gamma(400)));
        double[] weights = ParzenEstimator.defaultWeights(30); // numpy.linspace(1/30, 1, 5) then 25 ones
        assertEquals(1.0 / 30, weights[0], 1e-12);
        assertEquals(1.0 / 30 + (1 - 1.0 / 30) / 4, weights[1], 1e-12);
        assertEquals(1.0, weights[4], 1e-12);
        assertEquals(1.0, weights[29], 1e-12);
    }

    @Test
    void neverProposesAPointTwiceAndStopsWhenTheSpaceIsExhausted() {
        SearchSpace space = Tables.space();
        TpeSampler tpe = new TpeSampler(space, 7, TpeSettings.DEFAULT);
        History history = new History(MetricSpec.Goal.MAXIMIZE);
        Set<Point> seen = new HashSet<>();
        for (int i = 0; i < 48; i++) {
            Point point = tpe.ask(history).orElseThrow();
            assertTrue(seen.add(point), "proposed twice: " + point);
            history.put(new FrozenTrial("t" + i, i, point, 0, TrialStatus.COMPLETED, List.of(0.1 * (i % 7)), 1));
        }
        assertEquals(Optional.empty(), tpe.ask(history));
    }

    @Test
    void pointsInFlightRankBelowEveryMeasuredOne() {
        TpeSampler tpe = new TpeSampler(Tables.space(), 1, TpeSettings.DEFAULT);
        History history = new History(MetricSpec.Goal.MINIMIZE);
        history.put(new FrozenTrial("a", 0, Tables.point(0.01, 8), 0, TrialStatus.COMPLETED, List.of(2.0), 1));
        history.put(new FrozenTrial("b", 1, Tables.point(0.1, 8), 0, TrialStatus.PRUNED, List.of(0.5), 1));
        history.put(new FrozenTrial("c", 2, Tables.point(1.0, 8), 0, TrialStatus.RUNNING, List.of(), 0));
        List<TpeSampler.Observation> observations = tpe.observations(history);
        List<TpeSampler.Observation> ranked = observations.stream().sorted(TpeSampler.Observation.BEST_FIRST)
                .toList();
        // completed before pruned (whatever the values), the trial in flight last; losses are negated scores
        assertEquals(List.of(TpeSampler.COMPLETED_STAGE, TpeSampler.PRUNED_STAGE, TpeSampler.RUNNING_STAGE),
                ranked.stream().map(TpeSampler.Observation::stage).toList());
        assertEquals(-2.0, ranked.get(0).score());
    }

    @Test
    void learnsFasterThanRandomOnASmoothLandscape() {
        Simulation simulation = new Simulation(Tables.peaked(4), MetricSpec.Goal.MAXIMIZE, 1);
        FullTraining full = new FullTraining(4, null);
        double tpe = meanBestAfter(simulation.run(new Simulation.Method("tpe",
                seed -> new TpeSampler(Tables.space(), seed, TpeSettings.DEFAULT), full), 20, 30), 20);
        double random = meanBestAfter(simulation.run(new Simulation.Method("random",
                seed -> new RandomPointSampler(Tables.space(), seed), full), 20, 30), 20);
        assertTrue(tpe > random, "tpe " + tpe + " vs random " + random);
        assertFalse(Double.isNaN(tpe));
    }

    private static double meanBestAfter(List<Simulation.Run> runs, int trials) {
        return runs.stream().mapToDouble(r -> r.bestAfter(trials)).average().orElseThrow();
    }
}
