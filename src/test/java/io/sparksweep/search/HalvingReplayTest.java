package io.sparksweep.search;

import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.Rungs;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A halving sweep on one slot, with one stretch queued ahead, simulated with the runner's scheduling rule and
 * stopped after every possible number of decisions: the replayed resume order must continue exactly the
 * submissions of the uninterrupted run, and the resumed decisions must be the same.
 */
class HalvingReplayTest {
    private static final Rungs RUNGS = new Rungs(1, 9, 3); // rungs at 1 and 3, complete at 9

    /** A trial's metric at each epoch: fixed per trial, so every run sees the same values. */
    private static double value(String trial, int epoch) {
        return new Random(trial.hashCode() * 31L + epoch).nextDouble();
    }

    record Event(String trial, int from, String outcome) {
    }

    /**
     * Runs the scheduler from {@code queue} to the end, recording submissions and decisions; stops (returns) after
     * {@code limit} decisions. {@code stored} collects what the output would hold.
     */
    private static List<Event> simulate(Deque<HalvingReplay.Stretch> queue, AsyncHalving halving,
            Map<String, HalvingReplay.Stored> stored, int limit) {
        List<Event> events = new ArrayList<>();
        Deque<HalvingReplay.Stretch> submitted = new ArrayDeque<>();
        while ((!queue.isEmpty() || !submitted.isEmpty()) && events.size() < limit) {
            while (!queue.isEmpty() && submitted.size() < 2) {
                submitted.addLast(queue.pollFirst());
            }
            HalvingReplay.Stretch s = submitted.pollFirst();
            int to = RUNGS.next(s.trainedEpochs());
            AsyncHalving.Decision d = halving.reached(to, value(s.trialId(), to));
            events.add(new Event(s.trialId(), s.trainedEpochs(), d.name()));
            stored.put(s.trialId(), new HalvingReplay.Stored(d == AsyncHalving.Decision.PROMOTE, to));
            if (d == AsyncHalving.Decision.PROMOTE) {
                queue.addFirst(new HalvingReplay.Stretch(s.trialId(), to));
            }
        }
        return events;
    }

    @Test
    void aResumeAfterAnyNumberOfDecisionsContinuesTheUninterruptedRun() {
        List<String> trials = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            trials.add("t" + i);
        }
        Deque<HalvingReplay.Stretch> fresh = new ArrayDeque<>();
        trials.forEach(t -> fresh.addLast(new HalvingReplay.Stretch(t, 0)));
        List<Event> whole = simulate(fresh, new AsyncHalving(RUNGS, MetricSpec.DEFAULT), new HashMap<>(),
                Integer.MAX_VALUE);
        assertTrue(whole.stream().anyMatch(e -> e.outcome().equals("PROMOTE")), "the run must promote some");
        assertTrue(whole.stream().anyMatch(e -> e.outcome().equals("PRUNE")), "and prune some");

        for (int cut = 0; cut <= whole.size(); cut++) {
            Deque<HalvingReplay.Stretch> firstQueue = new ArrayDeque<>();
            trials.forEach(t -> firstQueue.addLast(new HalvingReplay.Stretch(t, 0)));
            Map<String, HalvingReplay.Stored> stored = new HashMap<>();
            List<Event> before = simulate(firstQueue, new AsyncHalving(RUNGS, MetricSpec.DEFAULT), stored, cut);

            // resume: the promotion state from the stored values, the order from the replay
            AsyncHalving rebuilt = new AsyncHalving(RUNGS, MetricSpec.DEFAULT);
            stored.forEach((trial, s) -> {
                for (int rung : RUNGS.epochs()) {
                    if (rung <= s.epochsTrained()) {
                        rebuilt.record(rung, value(trial, rung));
                    }
                }
            });
            Deque<HalvingReplay.Stretch> resumeQueue =
                    new ArrayDeque<>(HalvingReplay.remaining(trials, stored, RUNGS, 2));
            List<Event> after = simulate(resumeQueue, rebuilt, stored, Integer.MAX_VALUE);

            List<Event> joined = new ArrayList<>(before);
            joined.addAll(after);
            assertEquals(whole, joined, "resumed after " + cut + " decisions");
        }
    }

    @Test
    void promotedTrialsWhoseNextStretchWasQueuedBehindANewTrialStayBehindIt() {
        // t0 and t1 submitted; t0 promoted at rung 1 while t1 was already queued: t1 runs before t0's next stretch
        Map<String, HalvingReplay.Stored> stored = Map.of("t0", new HalvingReplay.Stored(true, 1));
        assertEquals(List.of(new HalvingReplay.Stretch("t1", 0), new HalvingReplay.Stretch("t0", 1),
                new HalvingReplay.Stretch("t2", 0)), HalvingReplay.remaining(List.of("t0", "t1", "t2"), stored,
                RUNGS, 2));
        // with nothing queued ahead (one stretch in flight), the promotion goes first
        assertEquals(List.of(new HalvingReplay.Stretch("t0", 1), new HalvingReplay.Stretch("t1", 0),
                new HalvingReplay.Stretch("t2", 0)), HalvingReplay.remaining(List.of("t0", "t1", "t2"), stored,
                RUNGS, 1));
    }
}
