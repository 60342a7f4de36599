package io.sparksweep.search;

import io.sparksweep.train.TrialStatus;
import io.sparksweep.spec.TpeSettings;
import io.sparksweep.spec.Budget;
import io.sparksweep.spec.MetricSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one loop, on recorded results: no Spark, milliseconds per sweep. */
class SweepLoopTest {
    private static final MetricSpec.Goal MAX = MetricSpec.Goal.MAXIMIZE;

    /** Counts stretches in flight around a recorded executor. */
    static final class Counting implements TrialExecutor {
        final RecordedExecutor inner;
        int inFlight;
        int most;

        Counting(RecordedExecutor inner) {
            this.inner = inner;
        }

        @Override
        public void submit(FrozenTrial trial, Scheduler.Stretch stretch) {
            most = Math.max(most, ++inFlight);
            inner.submit(trial, stretch);
        }

        @Override
        public Completion take() {
            inFlight--;
            return inner.take();
        }

        @Override
        public double now() {
            return inner.now();
        }
    }

    private static SweepLoop loop(Sampler sampler, Scheduler scheduler, TrialExecutor executor, int slots,
            Budget budget) {
        return new SweepLoop(sampler, scheduler, executor, slots, List.of(1L), budget, (p, s) -> p + " seed " + s);
    }

    @Test
    void aGridRunsEveryPointOnceWithNoMoreThanItsSlotsInFlight() {
        Counting executor = new Counting(new RecordedExecutor(Tables.peaked(3), MAX));
        SweepLoop.Result result = loop(new GridSampler(Tables.grid()), new FullTraining(3, null), executor, 3,
                Budget.NONE).run(new History(MAX), new SweepLoop.Listener() { });
        assertEquals(48, result.history().size());
        assertEquals(48, result.history().inState(TrialStatus.COMPLETED).size());
        assertEquals(3, executor.most);
        assertNull(result.stoppedBy());
    }

    @Test
    void budgetsStopNewTrialsAndSayWhich() {
        SweepLoop.Result trials = loop(new GridSampler(Tables.grid()), new FullTraining(3, null),
                new RecordedExecutor(Tables.peaked(3), MAX), 2, new Budget(10, null, null))
                .run(new History(MAX), new SweepLoop.Listener() { });
        assertEquals(List.of(10, "trials"), List.of(trials.history().size(), trials.stoppedBy()));

        // one slot, 3 epochs of (size index + 1) s each: the first row of the grid takes 3, 6, 9, ... s
        SweepLoop.Result time = loop(new GridSampler(Tables.grid()), new FullTraining(3, null),
                new RecordedExecutor(Tables.peaked(3), MAX), 1, new Budget(null, Duration.ofSeconds(10), null))
                .run(new History(MAX), new SweepLoop.Listener() { });
        assertEquals(List.of(3, "time"), List.of(time.history().size(), time.stoppedBy())); // 3 + 6 = 9 < 10

        double best = Tables.peaked(3).values().stream().mapToDouble(c -> c.values()[2]).max().orElseThrow();
        SweepLoop.Result target = loop(new GridSampler(Tables.grid()), new FullTraining(3, null),
                new RecordedExecutor(Tables.peaked(3), MAX), 1, new Budget(null, null, best))
                .run(new History(MAX), new SweepLoop.Listener() { });
        assertEquals("target", target.stoppedBy());
        assertEquals(best, target.history().best().orElseThrow(), 1e-12);
        assertTrue(target.history().size() < 48);
    }

    @Test
    void ashaPromotesTheTopThirdAtEachRungAndPromotedTrialsGoFirst() {
        // eta 3, rungs at 1 and 3 epochs, 9 at most; one slot, grid order
        AshaScheduler asha = new AshaScheduler(1, 9, 3);
        List<String> events = new ArrayList<>();
        SweepLoop.Result result = loop(new GridSampler(Tables.grid()), asha,
                new RecordedExecutor(Tables.peaked(9), MAX), 1, new Budget(12, null, null))
                .run(new History(MAX), new SweepLoop.Listener() {
                    @Override
                    public void ended(FrozenTrial trial, TrialExecutor.Completion completion) {
                        events.add(trial.number() + ":" + trial.epochs() + ":" + trial.state());
                    }
                });
        // the first trial is alone at rung 1: promoted, and continues before trial 2 starts
        assertEquals(List.of("0:1:PROMOTED", "0:3:PROMOTED", "0:9:COMPLETED", "1:1:PROMOTED"), events.subList(0, 4));
        for (FrozenTrial trial : result.history().trials()) {
            if (trial.state() == TrialStatus.PRUNED) {
                int rung = trial.epochs();
                long better = result.history().trials().stream().filter(o -> o.epochs() >= rung
                        && o.valueAt(rung) > trial.valueAt(rung)).count();
                assertTrue(better > 0, "pruned the best at its rung: " + trial);
            }
        }
        assertTrue(result.history().inState(TrialStatus.PRUNED).size() > 0);
        assertEquals(0, result.history().inState(TrialStatus.PROMOTED).size());
    }

    @Test
    void medianStoppingStopsTrialsBelowTheMedianInsideTheirStretch() {
        MedianScheduler median = new MedianScheduler(6, 1, 3);
        SweepLoop.Result result = loop(new GridSampler(Tables.grid()), median,
                new RecordedExecutor(Tables.peaked(6), MAX), 1, Budget.NONE)
                .run(new History(MAX), new SweepLoop.Listener() { });
        List<FrozenTrial> pruned = result.history().inState(TrialStatus.PRUNED);
        assertTrue(pruned.size() > 10, "pruned " + pruned.size());
        for (FrozenTrial trial : pruned) {
            assertTrue(trial.epochs() >= 2 && trial.epochs() < 6, trial.toString()); // after the grace epoch
        }
    }

    @Test
    void hyperbandSpreadsPointsOverItsBracketsAndStartsThemAtTheirOwnRungs() {
        HyperbandScheduler hyperband = new HyperbandScheduler(1, 9, 3);
        assertEquals(2, hyperband.brackets()); // rungs 1 and 3: brackets starting at 1 and at 3 epochs
        Map<Integer, Integer> firstStretch = new LinkedHashMap<>();
        SweepLoop.Result result = loop(new GridSampler(Tables.grid()), hyperband,
                new RecordedExecutor(Tables.peaked(9), MAX), 2, Budget.NONE)
                .run(new History(MAX), new SweepLoop.Listener() { });
        for (FrozenTrial trial : result.history().trials()) {
            firstStretch.merge(hyperband.bracketOf(trial.point()), 1, Integer::sum);
            if (hyperband.bracketOf(trial.point()) == 1) {
                assertTrue(trial.epochs() >= 3, "bracket 1 starts at 3 epochs: " + trial);
            }
        }
        assertEquals(2, firstStretch.size(), firstStretch.toString());
    }

    @Test
    void aSweepKilledAfterAnyEventAndResumedEndsAsTheUninterruptedOne() {
        Map<Point, RecordedExecutor.Curve> table = Tables.peaked(9);
        Budget budget = new Budget(30, null, null);
        List<FrozenTrial> rows = new ArrayList<>();
        History uninterrupted = tpeAsha(table, budget).run(new History(MAX), store(rows, Integer.MAX_VALUE))
                .history();
        int events = rows.size();
        for (int kill = 1; kill < events; kill++) {
            List<FrozenTrial> written = new ArrayList<>();
            try {
                tpeAsha(table, budget).run(new History(MAX), store(written, kill));
            } catch (Killed expected) {
                // the driver died after `kill` stretches had their rows written
            }
            History stored = new History(MAX);
            written.forEach(stored::put); // a trial's later rows replace its earlier ones
            History resumed = tpeAsha(table, budget).run(stored, new SweepLoop.Listener() { }).history();
            assertEquals(summary(uninterrupted), summary(resumed), "killed after event " + kill);
        }
    }

    private static SweepLoop tpeAsha(Map<Point, RecordedExecutor.Curve> table, Budget budget) {
        return loop(new TpeSampler(Tables.space(), 3, TpeSettings.DEFAULT), new AshaScheduler(1, 9, 3),
                new RecordedExecutor(table, MAX), 1, budget);
    }

    private static final class Killed extends RuntimeException {
    }

    private static SweepLoop.Listener store(List<FrozenTrial> rows, int killAfter) {
        return new SweepLoop.Listener() {
            @Override
            public void ended(FrozenTrial trial, TrialExecutor.Completion completion) {
                rows.add(trial);
                if (rows.size() >= killAfter) {
                    throw new Killed();
                }
            }
        };
    }

    private static List<String> summary(History history) {
        return history.trials().stream().map(t -> t.number() + " " + t.point() + " " + t.state() + " "
                + t.values()).toList();
    }
}
