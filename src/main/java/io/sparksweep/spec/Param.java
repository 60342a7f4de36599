package io.sparksweep.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The hyperparameters a sweep can vary, each declared with its default, the models it applies to and the check
 * its candidate values must pass. Validation lives here, where a parameter is declared, so every sweep file is
 * checked the same way before anything runs.
 */
public enum Param {
    MODEL("model", ModelFamily.MLP, true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            return yaml.choice(key, raw, ModelFamily.class);
        }
    },
    /** Dense layer sizes between the input (or the last pool) and the output; empty for none. */
    HIDDEN_LAYERS("hidden_layers", List.of(128), true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            if (raw instanceof Integer) {
                return List.of(yaml.intBetween(key, raw, 1, MAX_LAYER_SIZE)); // shorthand: one hidden layer
            }
            return sizes(yaml, key, raw, 0, "layer sizes, e.g. [64] or [16, 16]");
        }
    },
    ACTIVATION("activation", ActivationKind.RELU, true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            if (raw instanceof String s && s.trim().equalsIgnoreCase("softmax")) {
                throw yaml.error(key, "softmax is not a hidden activation: the output layer already applies softmax "
                        + "with the cross-entropy loss", raw);
            }
            return yaml.choice(key, raw, ActivationKind.class);
        }
    },
    /** Output channels of each conv layer; each conv is followed by a 2x2 max pool. */
    CONV_CHANNELS("conv_channels", List.of(8, 16), false, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            return sizes(yaml, key, raw, 1, "channel counts, one per conv layer, e.g. [8, 12]");
        }
    },
    /** One kernel size for every conv layer, or a list with one per layer. */
    KERNEL_SIZE("kernel_size", List.of(3), false, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            return perLayer(yaml, key, raw, 1, MAX_KERNEL);
        }
    },
    /** Zero padding of each conv layer, one value for all or one per layer. */
    PADDING("padding", List.of(0), false, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            return perLayer(yaml, key, raw, 0, MAX_KERNEL);
        }
    },
    OPTIMIZER("optimizer", OptimizerKind.ADAM, true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            return yaml.choice(key, raw, OptimizerKind.class);
        }
    },
    /** Momentum of the {@code momentum} optimizer (Nesterov). */
    MOMENTUM("momentum", 0.9, true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            double m = yaml.number(key, raw);
            if (m < 0 || m >= 1) {
                throw yaml.error(key, "must be in [0, 1)", raw);
            }
            return m;
        }
    },
    LEARNING_RATE("learning_rate", 0.001, true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            double lr = yaml.number(key, raw);
            if (lr <= 0) {
                throw yaml.error(key, "must be > 0", raw);
            }
            return lr;
        }
    },
    /** Samples per gradient step, or {@code full} for full-batch gradient descent. */
    BATCH_SIZE("batch_size", new BatchSize(64), true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            if (raw instanceof String s && s.trim().equalsIgnoreCase("full")) {
                return BatchSize.FULL;
            }
            if (!(raw instanceof Integer || raw instanceof Long)) {
                throw yaml.error(key, "must be a whole number >= 1 or 'full'", raw);
            }
            return new BatchSize(yaml.intAtLeast(key, raw, 1));
        }
    },
    EPOCHS("epochs", 10, true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            return yaml.intBetween(key, raw, 1, MAX_EPOCHS);
        }
    },
    WEIGHT_INIT("weight_init", WeightInitKind.HE, true, true) {
        @Override
        Object parse(YamlValues yaml, String key, Object raw) {
            return yaml.choice(key, raw, WeightInitKind.class);
        }
    };

    public static final int MAX_EPOCHS = 100_000;
    static final int MAX_LAYER_SIZE = 1 << 16;
    static final int MAX_LAYERS = 16;
    /** Kernel sizes and paddings beyond this fit no image SparkSweep trains on; the bound keeps the sizes small. */
    static final int MAX_KERNEL = 1024;

    private final String key;
    private final Object defaultValue;
    private final boolean forMlp;
    private final boolean forCnn;

    Param(String key, Object defaultValue, boolean forMlp, boolean forCnn) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.forMlp = forMlp;
        this.forCnn = forCnn;
    }

    /** Parses and checks one candidate value; {@code key} is its path in the file, for messages. */
    abstract Object parse(YamlValues yaml, String key, Object raw);

    public String key() {
        return key;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    /** Whether the parameter means anything for {@code model}; others are dropped from its trials. */
    public boolean appliesTo(ModelFamily model) {
        return model == ModelFamily.MLP ? forMlp : forCnn;
    }

    public static Param fromKey(String key) {
        for (Param p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Param::key).toList();
    }

    private static List<Integer> sizes(YamlValues yaml, String key, Object raw, int minLength, String what) {
        if (!(raw instanceof List<?> list)) {
            throw yaml.error(key, "each candidate must be a list of " + what, raw);
        }
        if (list.size() < minLength || list.size() > MAX_LAYERS) {
            throw yaml.error(key, "must list " + minLength + " to " + MAX_LAYERS + " " + what, raw);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(yaml.intBetween(key + "[" + i + "]", list.get(i), 1, MAX_LAYER_SIZE));
        }
        return List.copyOf(out);
    }

    private static List<Integer> perLayer(YamlValues yaml, String key, Object raw, int min, int max) {
        if (raw instanceof List<?> list) {
            if (list.isEmpty() || list.size() > MAX_LAYERS) {
                throw yaml.error(key, "must be one value or a list of 1 to " + MAX_LAYERS + " values", raw);
            }
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(yaml.intBetween(key + "[" + i + "]", list.get(i), min, max));
            }
            return List.copyOf(out);
        }
        return List.of(yaml.intBetween(key, raw, min, max));
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
