package io.sparksweep.search;

import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.Rungs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.sparksweep.search.AsyncHalving.Decision.COMPLETE;
import static io.sparksweep.search.AsyncHalving.Decision.PROMOTE;
import static io.sparksweep.search.AsyncHalving.Decision.PRUNE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AsyncHalvingTest {
    @Test
    void rungsGrowByEtaBelowTheMaximum() {
        assertEquals(List.of(1, 3, 9), new Rungs(1, 20, 3).epochs());
        assertEquals(List.of(2, 4, 8, 16), new Rungs(2, 20, 2).epochs());
        assertEquals(List.of(), new Rungs(5, 5, 3).epochs());
        Rungs r = new Rungs(1, 20, 3);
        assertEquals(List.of(1, 3, 9, 20, 20), List.of(r.next(0), r.next(1), r.next(3), r.next(9), r.next(20)));
    }

    @Test
    void eachArrivalIsComparedWithEveryoneAtItsRungSoFar() {
        AsyncHalving asha = new AsyncHalving(new Rungs(1, 9, 3), MetricSpec.DEFAULT); // accuracy: higher is better
        // rung 1, arrivals out of order, no barrier: keep the top ceil(n/3) of the n arrived so far
        assertEquals(PROMOTE, asha.reached(1, 0.50)); // 1 arrived: keep 1
        assertEquals(PRUNE, asha.reached(1, 0.40));   // 2: keep 1, 0.50 is better
        assertEquals(PROMOTE, asha.reached(1, 0.60)); // 3: keep 1, best so far
        assertEquals(PROMOTE, asha.reached(1, 0.55)); // 4: keep 2, second best
        assertEquals(PRUNE, asha.reached(1, 0.52));   // 5: keep 2, third
        assertEquals(PROMOTE, asha.reached(1, 0.60)); // 6: keep 2, tied for first: ties go the trial's way
        assertEquals(PROMOTE, asha.reached(3, 0.70)); // the next rung starts afresh
        assertEquals(PRUNE, asha.reached(3, 0.65));
        assertEquals(COMPLETE, asha.reached(9, 0.10)); // the maximum is not a rung: survivors complete
        assertThrows(IllegalArgumentException.class, () -> asha.reached(2, 0.5));
    }

    @Test
    void lossesAreMinimizedAndMissingValuesRankLast() {
        AsyncHalving asha = new AsyncHalving(new Rungs(1, 4, 2), MetricSpec.of(MetricSpec.Name.TEST_LOSS));
        assertEquals(PROMOTE, asha.reached(1, 0.9));
        assertEquals(PRUNE, asha.reached(1, Double.NaN));
        assertEquals(PROMOTE, asha.reached(1, 0.5));
        assertEquals(PRUNE, asha.reached(1, 1.2));
    }

    @Test
    void theRuleHoldsOnAShuffledStreamAndResumedStateDecidesTheSame() {
        // a synthetic stream: 60 trials whose rung-1 values arrive in random order
        Random random = new Random(5);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            values.add(random.nextDouble());
        }
        Collections.shuffle(values, random);
        AsyncHalving uninterrupted = new AsyncHalving(new Rungs(1, 27, 3), MetricSpec.DEFAULT);
        List<AsyncHalving.Decision> decisions = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            AsyncHalving.Decision d = uninterrupted.reached(1, values.get(i));
            decisions.add(d);
            // the rule, checked independently: rank among the first i+1 arrivals vs ceil((i+1)/3)
            double v = values.get(i);
            long better = values.subList(0, i + 1).stream().filter(o -> o > v).count();
            assertEquals(better < (i + 1 + 2) / 3 ? PROMOTE : PRUNE, d, "arrival " + (i + 1));
        }
        // interrupted after 25 arrivals: a new scheduler rebuilt from the stored values decides the rest the same
        AsyncHalving resumed = new AsyncHalving(new Rungs(1, 27, 3), MetricSpec.DEFAULT);
        values.subList(0, 25).forEach(v -> resumed.record(1, v));
        for (int i = 25; i < values.size(); i++) {
            assertEquals(decisions.get(i), resumed.reached(1, values.get(i)), "arrival " + (i + 1));
        }
    }
}
