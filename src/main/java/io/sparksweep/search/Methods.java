package io.sparksweep.search;

import java.util.List;
import java.util.Locale;

/**
 * Search methods by name, {@code SAMPLER[+SCHEDULER]}: samplers {@code random}, {@code tpe}; schedulers
 * {@code asha}, {@code hyperband}, {@code median} (none: every trial trains all its epochs). {@code hyperband}
 * alone means {@code random+hyperband}. Rungs use eta 3 from one epoch; median stopping waits one epoch and five
 * completed trials.
 */
public final class Methods {
    public static final List<String> SAMPLERS = List.of("random", "tpe");
    public static final List<String> SCHEDULERS = List.of("asha", "hyperband", "median");

    private Methods() {
    }

    /** @throws IllegalArgumentException naming what is unknown */
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
        Scheduler scheduler = parts.length == 1 ? new FullTraining(maxEpochs, null) : scheduler(parts[1], name,
                maxEpochs);
        return new Simulation.Method(normalized, seed -> sampler.equals("tpe")
                ? new TpeSampler(space, seed, TpeSampler.Settings.DEFAULT) : new RandomPointSampler(space, seed),
                scheduler);
    }

    private static Scheduler scheduler(String scheduler, String name, int maxEpochs) {
        return switch (scheduler) {
            case "asha" -> new AshaScheduler(1, maxEpochs, 3);
            case "hyperband" -> new HyperbandScheduler(1, maxEpochs, 3);
            case "median" -> new MedianScheduler(maxEpochs, 1, 5);
            default -> throw new IllegalArgumentException("unknown scheduler '" + scheduler + "' in '" + name
                    + "'; schedulers: " + String.join(", ", SCHEDULERS));
        };
    }
}
