package io.sparksweep.spec;

import java.util.Locale;

/**
 * Hidden-layer activations. Softmax is deliberately absent: the output layer always applies softmax together
 * with the cross-entropy loss, so a second softmax (the seeds' "loss does not move" bug) cannot be expressed.
 */
public enum ActivationKind {
    RELU, LEAKYRELU, TANH, SIGMOID, ELU;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
