package io.sparksweep.search;

/** No scheduling: every trial trains its epochs in one stretch, optionally ended early by a rule of its own. */
public final class FullTraining implements Scheduler {
    private final int epochs;
    private final StopRule rule;

    public FullTraining(int epochs, StopRule rule) {
        this.epochs = epochs;
        this.rule = rule;
    }

    @Override
    public Stretch next(FrozenTrial trial, History history) {
        return new Stretch(epochs, rule);
    }

    @Override
    public Decision decide(FrozenTrial trial, History history) {
        return Decision.COMPLETE;
    }
}
