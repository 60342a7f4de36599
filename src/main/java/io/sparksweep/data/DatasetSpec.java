package io.sparksweep.data;


import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which data a sweep trains on and how it is prepared. {@code classes} is empty for all classes, otherwise the
 * original class indices to keep, in the order that re-indexes them (the first becomes label 0). A limit of 0 means
 * the whole split; otherwise a stratified subsample, the same one in every run. {@code validation} holds images
 * out of that training set to choose on.
 */
public record DatasetSpec(DatasetKind kind, Normalization normalize, List<Integer> classes, int trainLimit,
        int testLimit, Validation validation) implements Serializable {

    public DatasetSpec {
        classes = List.copyOf(classes);
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("limits must be >= 0");
        }
    }

    /** Without a validation split. */
    public DatasetSpec(DatasetKind kind, Normalization normalize, List<Integer> classes, int trainLimit,
            int testLimit) {
        this(kind, normalize, classes, trainLimit, testLimit, Validation.NONE);
    }

    /** The same data with another split: {@link Validation#NONE} trains on every training image (refit). */
    public DatasetSpec withValidation(Validation other) {
        return new DatasetSpec(kind, normalize, classes, trainLimit, testLimit, other);
    }

    public static DatasetSpec of(DatasetKind kind) {
        return new DatasetSpec(kind, Normalization.UNIT, List.of(), 0, 0);
    }

    public int numClasses() {
        return classes.isEmpty() ? kind.numClasses() : classes.size();
    }

    /** Class names in label order after re-indexing. */
    public List<String> classNames() {
        return classes.isEmpty() ? kind.classNames() : classes.stream().map(kind.classNames()::get).toList();
    }

    /** A stable, human-readable rendering used in trial ids and the {@code dataset} column. */
    public String canonical() {
        StringBuilder sb = new StringBuilder(kind.key());
        if (!classes.isEmpty()) {
            sb.append("[classes=").append(classes.stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .append(']');
        }
        if (normalize != Normalization.UNIT) {
            sb.append("[normalize=").append(normalize.key()).append(']');
        }
        if (trainLimit > 0) {
            sb.append("[train_limit=").append(trainLimit).append(']');
        }
        if (testLimit > 0) {
            sb.append("[test_limit=").append(testLimit).append(']');
        }
        if (validation.any()) {
            sb.append('[').append(validation.canonical()).append(']');
        }
        return sb.toString();
    }
}
