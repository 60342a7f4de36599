package io.sparksweep.search;

import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.Param;
import io.sparksweep.train.TrialStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ASHA's decisions at a rung on hand-made histories. */
class AshaSchedulerTest {
    private static final Point A = new Point(Map.of(Param.LEARNING_RATE, 0.1));
    private static final Point B = new Point(Map.of(Param.LEARNING_RATE, 0.01));

    private static FrozenTrial trial(String id, Point point, long seed, double value) {
        return new FrozenTrial(id, 0, point, seed, TrialStatus.PROMOTED, List.of(value), 1);
    }

    @Test
    void aPointsSeedsArePromotedOnTheirMeanNotOnTheLuckiestSeed() {
        History history = new History(MetricSpec.Goal.MAXIMIZE);
        FrozenTrial luckyA = trial("a1", A, 1, 0.90);
        history.restore(luckyA);
        history.restore(trial("a2", A, 2, 0.10)); // A's mean: 0.50
        FrozenTrial b1 = trial("b1", B, 1, 0.60);
        history.restore(b1);
        history.restore(trial("b2", B, 2, 0.60)); // B's mean: 0.60
        AshaScheduler asha = new AshaScheduler(1, 4, 2); // keeps the top half of the points at epoch 1
        // ranked trial by trial, a1 (the best single value) would go on; ranked as configurations, A is the worse
        assertEquals(Scheduler.Decision.STOP, asha.decide(luckyA, history));
        assertEquals(Scheduler.Decision.CONTINUE, asha.decide(b1, history));
    }

    @Test
    void withOneSeedPerPointTrialsAreRankedAsBefore() {
        History history = new History(MetricSpec.Goal.MINIMIZE);
        FrozenTrial low = trial("a", A, 1, 0.2);
        FrozenTrial high = trial("b", B, 1, 0.7);
        history.restore(low);
        history.restore(high);
        AshaScheduler asha = new AshaScheduler(1, 4, 2);
        assertEquals(Scheduler.Decision.CONTINUE, asha.decide(low, history)); // a loss: lower is better
        assertEquals(Scheduler.Decision.STOP, asha.decide(high, history));
    }
}
