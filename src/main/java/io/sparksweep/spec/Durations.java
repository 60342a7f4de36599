package io.sparksweep.spec;

import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in sweep files: seconds as a number, or text such as {@code 90s}, {@code 10m}, {@code 1h30m}. */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?\\s*(?:(\\d+)m)?\\s*(?:(\\d+)s)?");
    /** Longer than any trial or sweep this tool is for: the bound keeps the arithmetic exact. */
    static final Duration MAX = Duration.ofDays(30);

    private Durations() {
    }

    /** A positive duration of at most {@link #MAX}. */
    static Duration parse(YamlValues yaml, String key, Object raw) {
        BigInteger seconds = null; // exact: any number of digits is compared, none wraps around
        if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
            seconds = new BigInteger(raw.toString());
        } else if (raw instanceof String s && !s.isBlank()) {
            Matcher m = DURATION.matcher(s.trim());
            if (m.matches()) {
                seconds = BigInteger.ZERO;
                long[] unit = {3600, 60, 1};
                for (int g = 1; g <= 3; g++) {
                    if (m.group(g) != null) {
                        seconds = seconds.add(new BigInteger(m.group(g)).multiply(BigInteger.valueOf(unit[g - 1])));
                    }
                }
            }
        }
        if (seconds == null || seconds.signum() <= 0) {
            throw yaml.error(key, "must be a positive number of seconds or a duration such as 90s, 10m, 1h30m", raw);
        }
        if (seconds.compareTo(BigInteger.valueOf(MAX.toSeconds())) > 0) {
            throw yaml.error(key, "must be at most " + MAX.toHours() + "h", raw);
        }
        return Duration.ofSeconds(seconds.longValueExact());
    }
}
