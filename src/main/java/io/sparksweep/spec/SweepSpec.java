package io.sparksweep.spec;

import io.sparksweep.data.DatasetSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated sweep file. {@code grids} holds one or more grids, each mapping swept parameters to their candidate
 * values in file order; the sweep's trials are the union of the grids' trials, in order. Parameters a grid does
 * not name take their {@link Param#defaultValue()}.
 *
 * @param source where it was read from, for messages
 * @param text the YAML text as written, kept in the {@code sweeps} table for provenance
 * @param timeout each trial's time limit, or null for none
 * @param random the space random draws and TPE's proposals come from ({@code grids} is then empty), or null for
 *        a grid
 * @param search the method, scheduler and budget
 * @param refit train the winner once more on every training image, validation images included, when the search
 *        ends: its test metrics are the sweep's final result
 * @param keepModels which trained networks are written beside the results
 */
public record SweepSpec(String name, String description, String source, String text, DatasetSpec dataset,
        MetricSpec metric, List<Long> seeds, List<Map<Param, List<Object>>> grids, int maxTrials,
        Duration timeout, RandomSpace random, SearchSpec search, boolean refit, KeepModels keepModels) {

    public static final int DEFAULT_MAX_TRIALS = 10_000;
    /** The largest max_trials a file may set: every trial of a plan is built and checked on the driver first. */
    public static final int MAX_TRIALS_LIMIT = 100_000;

    public SweepSpec {
        seeds = List.copyOf(seeds);
        List<Map<Param, List<Object>>> copies = new ArrayList<>();
        for (Map<Param, List<Object>> grid : grids) {
            Map<Param, List<Object>> copy = new LinkedHashMap<>();
            grid.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            copies.add(Collections.unmodifiableMap(copy));
        }
        grids = List.copyOf(copies);
    }

    /** The same sweep over {@code other} data (the sweep's data once it is read and bound). */
    public SweepSpec withDataset(DatasetSpec other) {
        return new SweepSpec(name, description, source, text, other, metric, seeds, grids, maxTrials, timeout, random,
                search, refit, keepModels);
    }

    public SearchMethod method() {
        return search.method();
    }

    public EarlyStopping earlyStopping() {
        return search.earlyStopping();
    }

    /** The rungs of an ASHA or Hyperband scheduler (trials train to {@code rungs().maxEpochs()}), or null. */
    public Rungs rungs() {
        return search.rungs();
    }

    public long samplerSeed() {
        return search.samplerSeed();
    }

    /** The first grid: the whole grid of a sweep without a {@code grids} list. */
    public Map<Param, List<Object>> grid() {
        return grids.get(0);
    }
}
