package io.sparksweep.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated sweep file. {@code grid} holds each swept parameter's candidate values in file order; parameters
 * not named there take their {@link Param#defaultValue()}.
 *
 * @param source where it was read from, for messages
 * @param text the YAML text as written, kept in the {@code sweeps} table for provenance
 */
public record SweepSpec(String name, String description, String source, String text, DatasetSpec dataset,
        MetricSpec metric, List<Long> seeds, Map<Param, List<Object>> grid, int maxTrials) {

    public static final int DEFAULT_MAX_TRIALS = 10_000;

    public SweepSpec {
        seeds = List.copyOf(seeds);
        Map<Param, List<Object>> copy = new LinkedHashMap<>();
        grid.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        grid = Collections.unmodifiableMap(copy);
    }
}
