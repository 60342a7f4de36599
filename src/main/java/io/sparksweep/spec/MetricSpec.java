package io.sparksweep.spec;

import java.io.Serializable;
import java.util.Locale;

/**
 * The metric that chooses: it ranks trials (leaderboards, "best so far"), and schedulers, early stopping and TPE
 * decide on it; and whether higher is better.
 */
public record MetricSpec(Name name, Goal goal) implements Serializable {
    public enum Name {
        VAL_ACCURACY, VAL_LOSS, TEST_ACCURACY, TEST_LOSS, MACRO_F1, TRAIN_ACCURACY, TRAIN_LOSS;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        Goal naturalGoal() {
            return this == TEST_LOSS || this == TRAIN_LOSS || this == VAL_LOSS ? Goal.MINIMIZE : Goal.MAXIMIZE;
        }

        /** Measured on the test set (macro F1 is the test set's): never the chooser when images are held out. */
        public boolean onTestSet() {
            return this == TEST_ACCURACY || this == TEST_LOSS || this == MACRO_F1;
        }

        /** Measured on the validation images. */
        public boolean onValidation() {
            return this == VAL_ACCURACY || this == VAL_LOSS;
        }

        /** Measured after every epoch, so schedulers and early stopping can use it (the others only at the end). */
        public boolean perEpoch() {
            return this != MACRO_F1 && this != TRAIN_ACCURACY;
        }
    }

    public enum Goal {
        MAXIMIZE, MINIMIZE;

        /** A value as a score, higher is better; a missing or non-finite value scores worst. */
        public double score(Double value) {
            if (value == null || !Double.isFinite(value)) {
                return Double.NEGATIVE_INFINITY;
            }
            return this == MAXIMIZE ? value : -value;
        }
    }

    /** Without a validation split. */
    public static final MetricSpec DEFAULT = new MetricSpec(Name.TEST_ACCURACY, Goal.MAXIMIZE);
    /** With a validation split (or folds). */
    public static final MetricSpec VALIDATION_DEFAULT = new MetricSpec(Name.VAL_ACCURACY, Goal.MAXIMIZE);

    public static MetricSpec of(Name name) {
        return new MetricSpec(name, name.naturalGoal());
    }

    /** True when {@code a} is a better value of this metric than {@code b}. */
    public boolean better(double a, double b) {
        return goal == Goal.MAXIMIZE ? a > b : a < b;
    }
}
