package io.sparksweep.search;

import io.sparksweep.spec.Rungs;
import io.sparksweep.spec.SchedulerSpec;
import io.sparksweep.spec.SearchMethod;
import io.sparksweep.spec.SearchSpec;
import io.sparksweep.spec.TpeSettings;

import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Builds samplers and schedulers from what a sweep file (or {@code simulate --methods}) names: the one place that
 * maps a method's name to its class, so the loop, the runner and the CLI never name one.
 */
public final class Methods {
    public static final List<String> SAMPLERS = List.of("random", "tpe");
    public static final List<String> SCHEDULERS = List.of("asha", "hyperband", "median");

    private Methods() {
    }

    /**
     * A sweep's sampler: TPE over {@code space}, or the planned points in order (a grid, random draws made up
     * front, halving's shuffled start order).
     */
    public static Sampler sampler(SearchSpec search, SearchSpace space, List<Point> planned) {
        return search.method() == SearchMethod.TPE ? new TpeSampler(space, search.samplerSeed(), search.tpe())
                : new GridSampler(planned);
    }

    /** @param epochs each trial's planned epochs (full training and median stopping train to them) */
    public static Scheduler scheduler(SchedulerSpec spec, ToIntFunction<FrozenTrial> epochs) {
        if (spec instanceof SchedulerSpec.Asha asha) {
            Rungs r = asha.rungs();
            return new AshaScheduler(r.minEpochs(), r.maxEpochs(), r.eta());
        }
        if (spec instanceof SchedulerSpec.Hyperband hyperband) {
            Rungs r = hyperband.rungs();
            return new HyperbandScheduler(r.minEpochs(), r.maxEpochs(), r.eta());
        }
        if (spec instanceof SchedulerSpec.Median median) {
            return new MedianScheduler(epochs, median.graceEpochs(), median.minTrials());
        }
        return new FullTraining(epochs, null);
    }

    /**
     * A method for {@code simulate} by name, {@code SAMPLER[+SCHEDULER]}: samplers {@code random}, {@code tpe};
     * schedulers {@code asha}, {@code hyperband}, {@code median} (none: every trial trains all its epochs).
     * {@code hyperband} alone means {@code random+hyperband}. Rungs use eta 3 from one epoch; median stopping waits
     * one epoch and five completed trials.
     *
     * @throws IllegalArgumentException naming what is unknown
     */
    public static Simulation.Method parse(String name, SearchSpace space, int maxEpochs) {
        String normalized = name.trim().toLowerCase(Locale.ROOT);
        String[] parts = (normalized.equals("hyperband") ? "random+hyperband" : normalized).split("\\+", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("a method is SAMPLER or SAMPLER+SCHEDULER, got '" + name + "'");
        }
        String sampler = parts[0];
        if (!SAMPLERS.contains(sampler)) {
            throw new IllegalArgumentException("unknown sampler '" + sampler + "' in '" + name + "'; samplers: "
                    + String.join(", ", SAMPLERS));
        }
        SchedulerSpec spec = parts.length == 1 ? new SchedulerSpec.Full() : schedulerSpec(parts[1], name, maxEpochs);
        SearchMethod method = sampler.equals("tpe") ? SearchMethod.TPE : SearchMethod.RANDOM;
        return new Simulation.Method(normalized, seed -> method == SearchMethod.TPE
                ? new TpeSampler(space, seed, TpeSettings.DEFAULT)
                : new RandomPointSampler(space, seed), scheduler(spec, t -> maxEpochs));
    }

    private static SchedulerSpec schedulerSpec(String scheduler, String name, int maxEpochs) {
        Rungs rungs = new Rungs(1, maxEpochs, 3);
        return switch (scheduler) {
            case "asha" -> new SchedulerSpec.Asha(rungs);
            case "hyperband" -> new SchedulerSpec.Hyperband(rungs);
            case "median" -> new SchedulerSpec.Median(1, 5);
            default -> throw new IllegalArgumentException("unknown scheduler '" + scheduler + "' in '" + name
                    + "'; schedulers: " + String.join(", ", SCHEDULERS));
        };
    }
}
