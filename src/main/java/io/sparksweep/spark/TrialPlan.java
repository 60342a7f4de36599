package io.sparksweep.spark;

import io.sparksweep.grid.GridExpander;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.search.Point;
import io.sparksweep.search.SearchSpace;
import io.sparksweep.spec.Param;
import io.sparksweep.spec.RandomSpace;
import io.sparksweep.spec.SearchMethod;
import io.sparksweep.spec.SweepSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A sweep's trials as the search loop sees them: a point and a seed, and the trials they train. A grid (or random
 * draws made up front) is planned in full: each point is a group of trials that differ only in epochs and share
 * one training run, and its id is that of the group's longest trial, so trial ids are those of earlier releases.
 * TPE's points are proposed as it goes and resolved here into one trial each.
 */
final class TrialPlan {
    private final SweepSpec spec;
    /** Planned points in start order, each with its group per seed; empty for TPE. */
    private final Map<Point, Map<Long, TrialGroup>> planned;
    private final SearchSpace space;
    /** A planned loop trial's point and seed, by its id. */
    private final Map<String, Map.Entry<Point, Long>> byId = new HashMap<>();

    private TrialPlan(SweepSpec spec, Map<Point, Map<Long, TrialGroup>> planned, SearchSpace space) {
        this.spec = spec;
        this.planned = planned;
        this.space = space;
        planned.forEach((point, bySeed) -> bySeed.forEach((seed, group) ->
                byId.put(group.longest().trialId(), Map.entry(point, seed))));
    }

    static TrialPlan of(SweepSpec spec) {
        if (spec.method() == SearchMethod.TPE) {
            return new TrialPlan(spec, Map.of(), SearchSpace.of(spec.random().distributions()));
        }
        Map<Point, Map<Long, TrialGroup>> planned = new LinkedHashMap<>();
        for (TrialGroup group : TrialGroup.of(GridExpander.expand(spec))) {
            TrialConfig longest = group.longest();
            planned.computeIfAbsent(pointOf(longest), p -> new LinkedHashMap<>()).put(longest.seed(), group);
        }
        return new TrialPlan(spec, shuffledUnderScheduler(spec, planned), null);
    }

    /**
     * Under a scheduler the first trials to reach a rung face the least competition and are promoted most easily,
     * so they should not all come from one corner of the grid: points start in a seeded random order, a function
     * of the sampler seed and the point's first trial id alone, so a resumed sweep keeps it.
     */
    private static Map<Point, Map<Long, TrialGroup>> shuffledUnderScheduler(SweepSpec spec,
            Map<Point, Map<Long, TrialGroup>> planned) {
        if (spec.rungs() == null) {
            return planned;
        }
        List<Map.Entry<Point, Map<Long, TrialGroup>>> entries = new ArrayList<>(planned.entrySet());
        entries.sort(Comparator.comparingLong(e -> startOrder(spec.samplerSeed(),
                e.getValue().values().iterator().next().longest().trialId())));
        Map<Point, Map<Long, TrialGroup>> shuffled = new LinkedHashMap<>();
        entries.forEach(e -> shuffled.put(e.getKey(), e.getValue()));
        return shuffled;
    }

    /** A trial's place in the start order: its id (a hash) mixed with the seed. */
    static long startOrder(long seed, String trialId) {
        return new SplittableRandom(seed ^ Long.parseUnsignedLong(trialId, 16)).nextLong();
    }

    /** A planned trial's point: every parameter's resolved value but its epochs (which a group shares). */
    private static Point pointOf(TrialConfig trial) {
        Map<Param, Object> values = new EnumMap<>(Param.class);
        for (Param param : Param.values()) {
            if (param != Param.EPOCHS) {
                values.put(param, trial.value(param));
            }
        }
        return new Point(values);
    }

    SweepSpec spec() {
        return spec;
    }

    /** The planned points in start order (empty for TPE, which proposes its own). */
    List<Point> points() {
        return List.copyOf(planned.keySet());
    }

    /** TPE's space, or null for planned sweeps. */
    SearchSpace space() {
        return space;
    }

    /** The trials {@code point} trains under {@code seed}, in ascending epochs. */
    TrialGroup group(Point point, long seed) {
        Map<Long, TrialGroup> bySeed = planned.get(point);
        if (bySeed != null) {
            return bySeed.get(seed);
        }
        Map<Param, Object> values = new EnumMap<>(Param.class);
        for (Param param : Param.values()) {
            values.put(param, param.defaultValue());
        }
        RandomSpace random = spec.random();
        point.values().forEach((param, proposed) -> values.put(param, random.value(param, proposed)));
        return new TrialGroup(List.of(GridExpander.resolve(spec, "parameters", values, seed)));
    }

    String trialId(Point point, long seed) {
        return group(point, seed).longest().trialId();
    }

    /**
     * The point and seed a stored trial was trained for, when it is the longest trial of its point: for a planned
     * sweep by its id, for TPE by reading its parameters back into the space's dimensions (and checking that they
     * give the same trial).
     */
    Optional<Map.Entry<Point, Long>> locate(String trialId, TrialConfig stored) {
        if (space == null) {
            return Optional.ofNullable(byId.get(trialId));
        }
        Map<Param, Object> values = new LinkedHashMap<>();
        for (SearchSpace.Dimension dimension : space.dimensions()) {
            Object value = proposedValue(dimension, stored.value(dimension.param()));
            if (value == null) {
                return Optional.empty();
            }
            values.put(dimension.param(), value);
        }
        Point point = new Point(values);
        return trialId(point, stored.seed()).equals(trialId) ? Optional.of(Map.entry(point, stored.seed()))
                : Optional.empty();
    }

    /**
     * Whether a proposed value resolves to a trial's value: equal, or one size for every conv layer (a trial holds
     * one per layer), or any value where the trial has none (a parameter its model does not use; the caller's
     * trial-id check decides).
     */
    private static boolean gives(Object proposed, Object resolved) {
        if (proposed.equals(resolved)) {
            return true;
        }
        if (proposed instanceof List<?> one && one.size() == 1 && resolved instanceof List<?> perLayer) {
            return perLayer.isEmpty() || perLayer.stream().allMatch(one.get(0)::equals);
        }
        return false;
    }

    /** The value a sampler would have proposed for a trial's {@code resolved} value, or null if none gives it. */
    private Object proposedValue(SearchSpace.Dimension dimension, Object resolved) {
        if (dimension instanceof SearchSpace.Categorical categorical) {
            return categorical.choices().stream()
                    .filter(c -> gives(spec.random().value(dimension.param(), c), resolved)).findFirst().orElse(null);
        }
        Object number = resolved instanceof List<?> list && list.size() == 1 ? list.get(0) : resolved;
        return number instanceof Number n ? (((SearchSpace.Numeric) dimension).integer() ? (Object) n.intValue()
                : (Object) n.doubleValue()) : null;
    }
}
