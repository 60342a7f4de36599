package io.sparksweep.spec;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Typed access to values of a parsed YAML tree, failing with a {@link SpecException} naming file and key. */
final class YamlValues {
    private final String source;

    YamlValues(String source) {
        this.source = source;
    }

    SpecException error(String key, String problem) {
        return new SpecException(source, key, problem);
    }

    SpecException error(String key, String problem, Object value) {
        return new SpecException(source, key, problem + ", got " + render(value));
    }

    /** Longest value quoted in a message: a message is one line, whatever the file holds. */
    static final int MAX_SHOWN = 120;

    static String render(Object value) {
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof String s) {
            return "'" + shorten(s) + "'";
        }
        return shorten(value.toString());
    }

    /** The text on one line, cut to {@link #MAX_SHOWN} characters. */
    static String shorten(String text) {
        String line = text.replaceAll("\\R", " ");
        return line.length() <= MAX_SHOWN ? line : line.substring(0, MAX_SHOWN) + "... (" + line.length()
                + " characters)";
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key, Object value) {
        if (value instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw error(key, "keys must be names", k);
                }
            }
            return (Map<String, Object>) m;
        }
        throw error(key, "must be a mapping of names to values", value);
    }

    List<?> list(String key, Object value) {
        if (value instanceof List<?> l) {
            return l;
        }
        throw error(key, "must be a list", value);
    }

    String string(String key, Object value) {
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw error(key, "must be a non-empty text", value);
    }

    long integer(String key, Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger) {
            throw error(key, "is too large (at most " + Long.MAX_VALUE + ")", value);
        }
        throw error(key, "must be a whole number", value);
    }

    int intAtLeast(String key, Object value, int min) {
        return intBetween(key, value, min, Integer.MAX_VALUE);
    }

    int intBetween(String key, Object value, int min, int max) {
        long v = value instanceof BigInteger ? Long.MAX_VALUE : integer(key, value);
        if (v < min) {
            throw error(key, "must be a whole number >= " + min, value);
        }
        if (v > max) {
            throw error(key, "must be at most " + max, value);
        }
        return (int) v;
    }

    double number(String key, Object value) {
        if (value instanceof Number n && !(value instanceof BigInteger)) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw error(key, "must be a finite number", value);
    }

    <E extends Enum<E>> E choice(String key, Object value, Class<E> type) {
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        if (value instanceof String s) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(s.trim())) {
                    return constant;
                }
            }
        }
        throw error(key, "must be one of " + allowed, value);
    }

    /** Rejects keys outside {@code allowed}, suggesting the closest allowed name for a typo. */
    void onlyKeys(String path, Map<String, Object> map, List<String> allowed) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                String where = path.isEmpty() ? key : path + "." + key;
                String suggestion = closest(key, allowed);
                throw error(where, "unknown key" + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
                        + "; allowed here: " + String.join(", ", allowed));
            }
        }
    }

    static String closest(String key, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(key.toLowerCase(Locale.ROOT), candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
