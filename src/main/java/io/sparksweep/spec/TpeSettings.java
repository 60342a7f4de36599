package io.sparksweep.spec;

/**
 * The {@code tpe:} section: random points before the model is used, and how many candidates are drawn from the
 * good density for each proposal (Optuna's {@code n_startup_trials} and {@code n_ei_candidates}, same defaults).
 */
public record TpeSettings(int startupTrials, int candidates) {
    public static final TpeSettings DEFAULT = new TpeSettings(10, 24);
}
