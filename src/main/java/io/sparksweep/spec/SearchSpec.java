package io.sparksweep.spec;

/**
 * How a sweep searches: where configurations come from ({@code method}, seeded by {@code samplerSeed}), how far
 * each trains ({@code scheduler}; {@code earlyStopping} only with full training), and when it stops starting
 * trials ({@code budget}).
 *
 * @param tpe TPE's settings, null for other methods
 */
public record SearchSpec(SearchMethod method, long samplerSeed, TpeSettings tpe, SchedulerSpec scheduler,
        EarlyStopping earlyStopping, Budget budget) {

    /** e.g. {@code grid}, {@code tpe+asha}: recorded in {@code trials.method}. */
    public String label() {
        if (method == SearchMethod.HALVING) {
            return "halving";
        }
        return scheduler instanceof SchedulerSpec.Full ? method.key() : method.key() + "+" + scheduler.key();
    }

    /** The rungs of an ASHA or Hyperband scheduler, or null. */
    public Rungs rungs() {
        if (scheduler instanceof SchedulerSpec.Asha asha) {
            return asha.rungs();
        }
        return scheduler instanceof SchedulerSpec.Hyperband hyperband ? hyperband.rungs() : null;
    }
}
