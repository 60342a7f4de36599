package io.sparksweep.search;

import java.util.function.ToIntFunction;

/**
 * No scheduling: every trial trains its planned epochs in one stretch, optionally ended early by a rule applied
 * where it trains.
 */
public final class FullTraining implements Scheduler {
    private final ToIntFunction<FrozenTrial> epochs;
    private final StopRule rule;

    /** Every trial trains {@code epochs}. */
    public FullTraining(int epochs, StopRule rule) {
        this(t -> epochs, rule);
    }

    /** @param epochs each trial's planned epochs */
    public FullTraining(ToIntFunction<FrozenTrial> epochs, StopRule rule) {
        this.epochs = epochs;
        this.rule = rule;
    }

    @Override
    public Stretch next(FrozenTrial trial, History history) {
        return new Stretch(epochs.applyAsInt(trial), rule);
    }

    @Override
    public Decision decide(FrozenTrial trial, History history) {
        return Decision.COMPLETE;
    }
}
