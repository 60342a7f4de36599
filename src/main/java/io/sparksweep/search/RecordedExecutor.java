package io.sparksweep.search;

import io.sparksweep.spec.MetricSpec;
import io.sparksweep.train.TrialStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Answers from recorded results instead of training: a point's metric after each epoch and the seconds each epoch
 * took, from a finished sweep's {@code epochs} table. Time is simulated: a stretch submitted at time t ends at t plus
 * its epochs' recorded seconds, and stretches are reported in the order they end (ties in submission order), as
 * if each had a slot of its own. A point the table lacks fails.
 */
public final class RecordedExecutor implements TrialExecutor {
    /** One point's recorded epochs: {@code values[e - 1]} and {@code seconds[e - 1]} for epoch e. */
    public record Curve(double[] values, double[] seconds) {
        public int epochs() {
            return values.length;
        }
    }

    private record Pending(double end, long order, Completion completion) {
    }

    private final Map<Point, Curve> table;
    private final MetricSpec.Goal goal;
    private final PriorityQueue<Pending> running = new PriorityQueue<>((a, b) -> a.end() != b.end()
            ? Double.compare(a.end(), b.end()) : Long.compare(a.order(), b.order()));
    private double now;
    private long submitted;
    private long trialEpochs;

    public RecordedExecutor(Map<Point, Curve> table, MetricSpec.Goal goal) {
        this.table = Map.copyOf(table);
        this.goal = goal;
    }

    @Override
    public void submit(FrozenTrial trial, Scheduler.Stretch stretch) {
        Curve curve = table.get(trial.point());
        if (curve == null || curve.epochs() < stretch.toEpoch()) {
            running.add(new Pending(now, submitted++, new Completion(trial.id(), List.of(), 0, TrialStatus.FAILED,
                    "not in the recorded results" + (curve == null ? "" : " past epoch " + curve.epochs()))));
            return;
        }
        List<Double> scores = new ArrayList<>();
        trial.values().forEach(v -> scores.add(score(v)));
        List<Double> values = new ArrayList<>();
        double seconds = 0;
        String stopped = null;
        for (int e = trial.epochs() + 1; e <= stretch.toEpoch() && stopped == null; e++) {
            values.add(curve.values()[e - 1]);
            seconds += curve.seconds()[e - 1];
            scores.add(score(curve.values()[e - 1]));
            stopped = stretch.rule() == null || e == stretch.toEpoch() ? null : stretch.rule().stopAfter(scores);
        }
        trialEpochs += values.size();
        running.add(new Pending(now + seconds, submitted++, new Completion(trial.id(), values, seconds,
                stopped == null ? null : TrialStatus.PRUNED, stopped)));
    }

    @Override
    public Completion take() {
        Pending next = running.poll();
        if (next == null) {
            throw new IllegalStateException("nothing in flight");
        }
        now = next.end();
        return next.completion();
    }

    @Override
    public double now() {
        return now;
    }

    /** Epochs trained (replayed) so far, over all trials. */
    public long trialEpochs() {
        return trialEpochs;
    }

    private double score(double value) {
        return goal.score(value);
    }
}
