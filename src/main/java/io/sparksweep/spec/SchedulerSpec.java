package io.sparksweep.spec;

/**
 * The {@code scheduler:} section: how far each trial trains. {@link Full}: every trial trains its epochs (ended
 * early only by {@code early_stopping}); {@link Asha}: successive halving at rungs; {@link Hyperband}: several ASHA
 * brackets; {@link Median}: stop below the median of completed trials.
 */
public sealed interface SchedulerSpec {
    /** The scheduler's name in sweep files and in {@code trials.method}. */
    String key();

    /** Every trial trains all its epochs. */
    record Full() implements SchedulerSpec {
        @Override
        public String key() {
            return "none";
        }
    }

    /** Asynchronous successive halving: trials compared at {@code rungs}, the top 1/eta go on. */
    record Asha(Rungs rungs) implements SchedulerSpec {
        @Override
        public String key() {
            return "asha";
        }
    }

    /** ASHA brackets starting at min_epochs * eta^s, as Optuna's HyperbandPruner. */
    record Hyperband(Rungs rungs) implements SchedulerSpec {
        @Override
        public String key() {
            return "hyperband";
        }
    }

    /**
     * Median stopping: after {@code graceEpochs}, a trial below the median of the completed trials at the same
     * epoch stops, once {@code minTrials} trials have completed.
     */
    record Median(int graceEpochs, int minTrials) implements SchedulerSpec {
        @Override
        public String key() {
            return "median";
        }
    }
}
