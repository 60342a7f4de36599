package io.sparksweep.grid;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trials that differ only in {@code epochs}. They share one training run of the largest epoch count, evaluated
 * after every epoch, and each trial's result is that run's state after its own epoch count: the same as training
 * it alone, since the initial weights and the per-epoch shuffles come from the seed in the same order.
 *
 * @param trials in ascending epoch order
 */
public record TrialGroup(List<TrialConfig> trials) implements Serializable {

    public TrialGroup {
        trials = trials.stream().sorted(Comparator.comparingInt(TrialConfig::epochs)).toList();
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("a group needs a trial");
        }
    }

    /** The trial that trains longest: the run the group shares. */
    public TrialConfig longest() {
        return trials.get(trials.size() - 1);
    }

    /** Groups trials in order of first appearance. */
    public static List<TrialGroup> of(List<TrialConfig> trials) {
        Map<String, List<TrialConfig>> groups = new LinkedHashMap<>();
        for (TrialConfig trial : trials) {
            groups.computeIfAbsent(trial.withEpochs(1).canonical(), k -> new ArrayList<>()).add(trial);
        }
        return groups.values().stream().map(TrialGroup::new).toList();
    }
}
