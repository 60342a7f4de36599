package io.sparksweep.spec;

import java.time.Duration;

/**
 * When a sweep starts no more trials ({@code budget:} in the sweep file): after {@code trials} trials, after
 * {@code time} of wall time, or once a completed trial reaches {@code target}. Each may be null; trials in flight
 * still finish. A resumed sweep counts the trials it already stored.
 */
public record Budget(Integer trials, Duration time, Double target) {
    public static final Budget NONE = new Budget(null, null, null);

    /** The tighter of this budget and at most {@code trials} trials. */
    public Budget atMostTrials(int trials) {
        return new Budget(this.trials == null ? trials : Math.min(this.trials, trials), time, target);
    }
}
