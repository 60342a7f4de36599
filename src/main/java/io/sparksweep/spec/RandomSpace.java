package io.sparksweep.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The space a random search draws from: for each parameter named in {@code parameters}, a distribution (a bare
 * value is a one-value choice, a list a choice among its values). Each draw is checked by the parameter's own
 * parser, as if it had been written in the file.
 */
public final class RandomSpace {
    private final Map<Param, Distribution> distributions;
    private final int trials;
    private final YamlValues yaml;

    RandomSpace(Map<Param, Distribution> distributions, int trials, YamlValues yaml) {
        this.distributions = Collections.unmodifiableMap(new LinkedHashMap<>(distributions));
        this.trials = trials;
        this.yaml = yaml;
    }

    public Map<Param, Distribution> distributions() {
        return distributions;
    }

    /** How many distinct configurations to draw (each runs once per seed in {@code seeds}); 0 for TPE without one. */
    public int trials() {
        return trials;
    }


    /**
     * A parameter's value from what a sampler proposed: a choice's values are already checked, a number drawn from
     * a range is checked by the parameter's parser (an int_uniform of hidden_layers becomes one layer).
     */
    public Object value(Param param, Object proposed) {
        return distributions.get(param) instanceof Distribution.Choice ? proposed
                : param.parse(yaml, "parameters." + param.key(), proposed);
    }

    /** One configuration's values for the named parameters, drawn in file order. */
    public Map<Param, Object> draw(Random random) {
        Map<Param, Object> values = new LinkedHashMap<>();
        distributions.forEach((param, distribution) -> values.put(param, value(param, distribution.draw(random))));
        return values;
    }
}
