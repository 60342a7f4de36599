package io.sparksweep.spec;

/** Optimizers a sweep can choose; {@code momentum} is SGD with Nesterov momentum (see the {@code momentum} key). */
public enum OptimizerKind {
    SGD, MOMENTUM, ADAM;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
