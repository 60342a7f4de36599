package io.sparksweep.spec;

import java.util.Locale;

/** The network families a trial can train. */
public enum ModelFamily {
    /** Dense layers on the flattened image. */
    MLP,
    /** Conv + 2x2 max-pool blocks, then dense layers. */
    CNN;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
