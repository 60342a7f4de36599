package io.sparksweep.spec;

import java.util.Locale;

/** Optimizers a sweep can choose; {@code momentum} is SGD with Nesterov momentum (see the {@code momentum} key). */
public enum OptimizerKind {
    SGD, MOMENTUM, ADAM;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
