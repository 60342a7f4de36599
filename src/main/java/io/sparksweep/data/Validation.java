package io.sparksweep.data;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a sweep holds images out of its training set to choose on: not at all (trials are ranked on the test set,
 * as the hand-tuned notebooks did), a stratified holdout given as a fraction or a count, or k stratified folds
 * (each trial trains k times, once without each fold). Images are chosen after the class subset and
 * {@code train_limit}; the test set is never touched.
 */
public sealed interface Validation extends Serializable {
    Validation NONE = new None();

    /** No holdout: the sweep's metric may be a test metric. */
    record None() implements Validation {
        @Override
        public String canonical() {
            return "";
        }

        @Override
        public int folds() {
            return 0;
        }
    }

    /** A holdout of {@code value} of the training images, 0 < value <= 0.5. */
    record Fraction(double value) implements Validation {
        @Override
        public String canonical() {
            return "validation=" + value;
        }

        @Override
        public int folds() {
            return 1;
        }
    }

    /** A holdout of {@code value} training images. */
    record Count(int value) implements Validation {
        @Override
        public String canonical() {
            return "validation=" + value;
        }

        @Override
        public int folds() {
            return 1;
        }
    }

    /** K-fold cross-validation: {@code k} disjoint stratified folds that cover the training set once. */
    record Folds(int k) implements Validation {
        @Override
        public String canonical() {
            return "folds=" + k;
        }

        @Override
        public int folds() {
            return k;
        }
    }

    /** The trial-id part ({@code validation=0.1}, {@code folds=5}); empty for none, so older ids stay. */
    String canonical();

    /** How many networks a trial trains to be validated: 0 (none), 1 (a holdout) or k. */
    int folds();

    default boolean any() {
        return folds() > 0;
    }

    /** For people: {@code none}, {@code holdout of 10%}, {@code holdout of 6000 images}, {@code 5 folds}. */
    default String describe() {
        if (this instanceof Fraction f) {
            return String.format(Locale.ROOT, "holdout of %s%%", trim(f.value() * 100));
        }
        if (this instanceof Count c) {
            return "holdout of " + c.value() + " images";
        }
        return this instanceof Folds f ? f.k() + " folds" : "none";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
