package io.sparksweep.spec;

import java.io.Serializable;

/** The metric that ranks trials (leaderboards, "best so far") and whether higher is better. */
public record MetricSpec(Name name, Goal goal) implements Serializable {
    public enum Name {
        TEST_ACCURACY, TEST_LOSS, MACRO_F1, TRAIN_ACCURACY, TRAIN_LOSS;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        Goal naturalGoal() {
            return this == TEST_LOSS || this == TRAIN_LOSS ? Goal.MINIMIZE : Goal.MAXIMIZE;
        }
    }

    public enum Goal { MAXIMIZE, MINIMIZE }

    public static final MetricSpec DEFAULT = new MetricSpec(Name.TEST_ACCURACY, Goal.MAXIMIZE);

    public static MetricSpec of(Name name) {
        return new MetricSpec(name, name.naturalGoal());
    }

    /** True when {@code a} is a better value of this metric than {@code b}. */
    public boolean better(double a, double b) {
        return goal == Goal.MAXIMIZE ? a > b : a < b;
    }
}
