package io.sparksweep.search;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * When a sweep starts no more trials: after {@code trials} trials, after {@code time} on the executor's clock, or
 * once a completed trial reaches {@code target}. Each may be null; trials in flight still finish.
 */
public record Budget(Integer trials, Duration time, Double target) {
    public static final Budget NONE = new Budget(null, null, null);

    /** Which limit is reached, or null while trials may start. */
    public String reached(int started, double seconds, OptionalDouble best, History history) {
        if (trials != null && started >= trials) {
            return "trials";
        }
        if (time != null && seconds >= time.toMillis() / 1000.0) {
            return "time";
        }
        if (target != null && best.isPresent() && history.score(best.getAsDouble()) >= history.score(target)) {
            return "target";
        }
        return null;
    }
}
