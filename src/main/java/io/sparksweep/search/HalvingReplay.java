package io.sparksweep.search;

import io.sparksweep.spec.Rungs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The order in which a resumed halving sweep submits its remaining stretches: the order the interrupted run would
 * have submitted them in. The runner can keep one stretch queued ahead of the free slots, so when a trial is promoted
 * its next stretch goes behind the stretches already submitted, not before them; a resume that simply put promoted
 * trials first would change the order in which trials reach a rung, and with it (asynchronous halving decides on
 * arrival) which ones are promoted. This replays the runner's scheduling over the decisions the output holds:
 * every stretch whose outcome is stored is applied (a promotion queues the trial's next stretch first, as the
 * runner does), every other one is kept, in submission order, to be run again. With one slot the runner decides
 * in submission order, the stored decisions are a prefix of it, and the resumed sweep decides exactly as an
 * uninterrupted one; with more slots arrival order depends on timing anyway.
 */
public final class HalvingReplay {
    private HalvingReplay() {
    }

    /** What the output holds for a trial: its latest status is PROMOTED (training on), and the epochs it trained. */
    public record Stored(boolean promoted, int epochsTrained) {
    }

    /** A stretch to run: the trial, from the epochs it has already trained (0: from scratch). */
    public record Stretch(String trialId, int trainedEpochs) {
    }

    /**
     * @param startOrder every trial of the sweep, finished ones too, in the runner's start order
     * @param stored the output's latest row per trial (absent: never stored)
     * @param inFlight how many stretches the runner keeps submitted at once (slots, + 1 when they take all of
     *                 Spark's)
     */
    public static List<Stretch> remaining(List<String> startOrder, Map<String, Stored> stored, Rungs rungs,
            int inFlight) {
        Deque<Stretch> queue = new ArrayDeque<>();
        startOrder.forEach(id -> queue.addLast(new Stretch(id, 0)));
        Deque<Stretch> submitted = new ArrayDeque<>();
        List<Stretch> remaining = new ArrayList<>();
        while (!queue.isEmpty() || !submitted.isEmpty()) {
            while (!queue.isEmpty() && submitted.size() < inFlight) {
                submitted.addLast(queue.pollFirst());
            }
            Stretch stretch = submitted.pollFirst();
            int to = rungs.next(stretch.trainedEpochs());
            Stored s = stored.get(stretch.trialId());
            if (s == null || (s.promoted() && s.epochsTrained() < to)) {
                remaining.add(stretch); // no outcome stored for this stretch: run it again
            } else if (s.epochsTrained() > to || (s.promoted() && s.epochsTrained() == to)) {
                queue.addFirst(new Stretch(stretch.trialId(), to)); // promoted here: on to the next rung
            }
            // else it ended here (pruned, completed, or failed during the stretch)
        }
        return remaining;
    }
}
