package io.sparksweep.spark;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.results.StoredTrial;
import io.sparksweep.search.FrozenTrial;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trials a loop trial still has to train: its group less those the output already holds as final, so a sweep
 * file that gained an epoch count trains only that one (a group whose trials are all stored is in the history as
 * finished and never asked for).
 */
final class PendingTrials {
    private final TrialPlan plan;
    private final Map<String, StoredTrial> stored;
    private final Map<String, TrialGroup> byTrial = new HashMap<>();

    PendingTrials(TrialPlan plan, Map<String, StoredTrial> stored) {
        this.plan = plan;
        this.stored = stored;
    }

    TrialGroup of(FrozenTrial trial) {
        return byTrial.computeIfAbsent(trial.id(), id -> {
            TrialGroup group = plan.group(trial.point(), trial.seed());
            List<TrialConfig> pending = pendingOf(group, stored);
            return pending.isEmpty() ? group : new TrialGroup(pending);
        });
    }

    /** The trials of {@code group} without a final row in {@code stored}. */
    static List<TrialConfig> pendingOf(TrialGroup group, Map<String, StoredTrial> stored) {
        return group.trials().stream().filter(t -> {
            StoredTrial s = stored.get(t.trialId());
            return s == null || !s.status().isFinal();
        }).toList();
    }
}
