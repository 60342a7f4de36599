package io.sparksweep.cli;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spark.SweepListener;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints one line per finished trial: counts, the trial's outcome, the best so far and an estimate of the time
 * left (from the mean wall time per finished trial).
 */
final class ProgressPrinter implements SweepListener {
    private final PrintStream out;
    private final MetricSpec metric;
    private final long startNanos = System.nanoTime();
    private int failed;
    private Double best;
    private String bestTrial;

    ProgressPrinter(PrintStream out, MetricSpec metric) {
        this.out = out;
        this.metric = metric;
    }

    @Override
    public void trialStarted(TrialConfig trial) {
        out.println("started  " + trial.trialId() + "  " + trial.label());
    }

    @Override
    public void trialFinished(TrialResult result, int done, int total) {
        if (result.status() != TrialStatus.COMPLETED) {
            failed++;
        }
        Double value = MetricValues.of(result, metric.name());
        if (value != null && (best == null || metric.better(value, best))) {
            best = value;
            bestTrial = result.trialId();
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double left = elapsed / done * (total - done);
        String outcome = result.status() == TrialStatus.COMPLETED
                ? String.format(Locale.ROOT, "%s=%.4f in %.1fs", metric.name().key(), value, result.trainSeconds())
                : result.status() + ": " + result.error();
        out.printf(Locale.ROOT, "[%d/%d] %-9s %s  %s | failed %d | best %s | elapsed %s, left ~%s%n", done, total,
                result.status().name().toLowerCase(Locale.ROOT), result.trialId(), outcome, failed,
                best == null ? "-" : String.format(Locale.ROOT, "%.4f (%s)", best, bestTrial),
                duration(elapsed), duration(left));
        out.flush();
    }

    int failed() {
        return failed;
    }

    private static String duration(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
