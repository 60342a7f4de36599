package io.sparksweep.grid;

import io.sparksweep.spec.Param;
import io.sparksweep.spec.RandomSpace;
import io.sparksweep.spec.SpecException;
import io.sparksweep.spec.SweepSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random search's trials: {@code trials} distinct configurations drawn with the sampler seed (each run once per
 * seed in {@code seeds}), in draw order. The draws depend on nothing but the sweep file, so the same file gives the
 * same trials on any machine, and a resumed sweep finds its finished trials by id. A draw that repeats an earlier
 * configuration is drawn again; a space too small for {@code trials} distinct configurations is an error.
 */
public final class RandomSampler {
    /** Draws per wanted configuration before the space counts as exhausted. */
    private static final int ATTEMPTS_PER_TRIAL = 100;

    private RandomSampler() {
    }

    public static List<TrialConfig> draw(SweepSpec spec) {
        RandomSpace space = spec.random();
        Random random = new Random(spec.samplerSeed());
        Map<String, TrialConfig> trials = new LinkedHashMap<>();
        int configurations = 0;
        for (long attempt = 0; configurations < space.trials(); attempt++) {
            if (attempt >= (long) ATTEMPTS_PER_TRIAL * space.trials()) {
                throw new SpecException(spec.source(), "trials", "the space has only " + configurations
                        + " distinct configurations, fewer than trials (" + space.trials() + "): lower trials or "
                        + "widen the distributions");
            }
            Map<Param, Object> values = new EnumMap<>(Param.class);
            for (Param p : Param.values()) {
                values.put(p, p.defaultValue());
            }
            values.putAll(space.draw(random));
            List<TrialConfig> perSeed = new ArrayList<>();
            for (long seed : spec.seeds()) {
                perSeed.add(GridExpander.resolve(spec, "parameters", values, seed));
            }
            if (!trials.containsKey(perSeed.get(0).trialId())) {
                perSeed.forEach(t -> trials.put(t.trialId(), t));
                configurations++;
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(trials.values()));
    }
}
