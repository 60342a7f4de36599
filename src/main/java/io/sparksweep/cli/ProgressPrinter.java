package io.sparksweep.cli;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spark.SweepListener;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A sweep's progress on the driver. On a terminal: one live line (a progress bar with trials done/total, elapsed and
 * time left, and running / failed counts and the best metric so far) redrawn as trials start and finish. Otherwise
 * (CI logs, spark-submit on a cluster): one plain line per trial started and finished, with the same counts.
 */
final class ProgressPrinter implements SweepListener, AutoCloseable {
    private final PrintStream out;
    private final MetricSpec metric;
    private final ProgressBar bar;
    private final int slots;
    private final long startNanos = System.nanoTime();
    private int running;
    private int failed;
    private int pruned;
    private Double best;
    private String bestTrial;

    private ProgressPrinter(PrintStream out, MetricSpec metric, ProgressBar bar, int slots) {
        this.out = out;
        this.metric = metric;
        this.bar = bar;
        this.slots = slots;
    }

    /**
     * A live line when {@code out} is the terminal, plain lines otherwise. {@code slots} caps the running count:
     * the scheduler keeps one trial queued in Spark beyond the slots, started but not yet running.
     */
    static ProgressPrinter forOutput(PrintStream out, MetricSpec metric, int total, int slots) {
        boolean terminal = out == System.out && System.console() != null;
        if (!terminal || total == 0) {
            return new ProgressPrinter(out, metric, null, slots);
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName("trials").setInitialMax(total)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(500)
                .setMaxRenderedLength(160).setConsumer(new ConsoleProgressBarConsumer(out)).continuousUpdate()
                .build();
        return new ProgressPrinter(out, metric, bar, slots);
    }

    @Override
    public void trialStarted(TrialConfig trial) {
        running++;
        if (bar == null) {
            out.println("started  " + trial.trialId() + "  " + trial.label());
        } else {
            bar.setExtraMessage(counts());
        }
    }

    @Override
    public void trialPromoted(TrialResult soFar, int epoch) {
        Double value = soFar.value(metric.name());
        if (bar == null) {
            out.printf(Locale.ROOT, "promoted %s  %s=%.4f at epoch %d%n", soFar.trialId(), metric.name().key(),
                    value == null ? Double.NaN : value, epoch);
        }
    }

    @Override
    public void trialFinished(TrialResult result, int done, int total) {
        running--;
        if (result.status().isFailure()) {
            failed++;
        } else if (result.status() == TrialStatus.PRUNED) {
            pruned++;
        }
        Double value = result.value(metric.name());
        // a pruned trial's value is from an early rung: not comparable with trials that trained to the end
        if (value != null && result.status() != TrialStatus.PRUNED && (best == null || metric.better(value, best))) {
            best = value;
            bestTrial = result.trialId();
        }
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(counts());
            return;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double left = elapsed / done * (total - done);
        // completed, pruned and early-stopped trials have metrics (the last two a note on why they ended)
        String outcome = result.status().isFailure() || value == null ? result.status() + ": " + result.error()
                : String.format(Locale.ROOT, "%s=%.4f in %.1fs", metric.name().key(), value, result.trainSeconds())
                        + (result.status() == TrialStatus.COMPLETED ? "" : " (" + result.error() + ")");
        out.printf(Locale.ROOT, "[%d/%d] %-9s %s  %s | %s | elapsed %s, left ~%s%n", done, total,
                result.status().name().toLowerCase(Locale.ROOT), result.trialId(), outcome, counts(),
                duration(elapsed), duration(left));
        out.flush();
    }

    /** e.g. {@code running 2 | failed 0 | best 0.8714 (4086836d067e2515)}; a shorter id on the live line */
    private String counts() {
        String trial = bar == null || bestTrial == null ? bestTrial : bestTrial.substring(0, 8);
        return String.format(Locale.ROOT, "running %d | failed %d%s | best %s", Math.min(running, slots), failed,
                pruned > 0 ? " | pruned " + pruned : "",
                best == null ? "-" : String.format(Locale.ROOT, "%.4f (%s)", best, trial));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    private static String duration(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
