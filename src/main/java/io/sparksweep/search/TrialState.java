package io.sparksweep.search;

/** Where a trial is in its life. PAUSED: at a rung, with a checkpoint, waiting for the scheduler to promote it. */
public enum TrialState {
    RUNNING, PAUSED, COMPLETED, PRUNED, FAILED;

    public boolean finished() {
        return this == COMPLETED || this == PRUNED || this == FAILED;
    }
}
