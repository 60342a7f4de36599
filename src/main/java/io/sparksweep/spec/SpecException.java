package io.sparksweep.spec;

import io.sparksweep.BadInputException;

/** A sweep file problem, naming the file, the key path (e.g. {@code parameters.learning_rate[1]}) and the value. */
public final class SpecException extends BadInputException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public SpecException(String source, String key, String problem) {
        super(source + ": " + key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
