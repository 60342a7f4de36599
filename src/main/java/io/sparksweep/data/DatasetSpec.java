package io.sparksweep.data;

import io.sparksweep.BadInputException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which data a sweep trains on and how it is prepared. {@code classes} is empty for all classes, otherwise the
 * names of the classes to keep, in the order that re-indexes them (the first becomes label 0). A limit of 0 means
 * the whole split; otherwise a stratified subsample, the same one in every run. {@code validation} holds examples
 * out of that training set to choose on. {@code schema} is what the data turned out to be: known up front for the
 * built-in datasets, {@link #bind bound} once a folder tree or table has been read (null until then).
 */
public record DatasetSpec(DataSource source, Normalization normalize, List<String> classes, int trainLimit,
        int testLimit, Validation validation, DataSchema schema) implements Serializable {

    public DatasetSpec {
        classes = List.copyOf(classes);
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("limits must be >= 0");
        }
    }

    /** A built-in dataset, classes by index. */
    public DatasetSpec(DatasetKind kind, Normalization normalize, List<Integer> classes, int trainLimit,
            int testLimit, Validation validation) {
        this(new DataSource.BuiltIn(kind), normalize, classes.stream().map(kind.classNames()::get).toList(),
                trainLimit, testLimit, validation, DataSchema.of(kind));
    }

    /** A built-in dataset without a validation split. */
    public DatasetSpec(DatasetKind kind, Normalization normalize, List<Integer> classes, int trainLimit,
            int testLimit) {
        this(kind, normalize, classes, trainLimit, testLimit, Validation.NONE);
    }

    /** The same data with another split: {@link Validation#NONE} trains on every training example (refit). */
    public DatasetSpec withValidation(Validation other) {
        return new DatasetSpec(source, normalize, classes, trainLimit, testLimit, other, schema);
    }

    /**
     * This spec over data of {@code found}'s shape and classes: every class it names must be one of them, named
     * in a message that lists them otherwise.
     */
    public DatasetSpec bind(DataSchema found) {
        for (String name : classes) {
            if (!found.classNames().contains(name)) {
                throw new BadInputException("dataset.classes: no class " + name + " in " + where() + "; its classes: "
                        + String.join(", ", found.classNames()));
            }
        }
        return new DatasetSpec(source, normalize, classes, trainLimit, testLimit, validation, found);
    }

    public static DatasetSpec of(DatasetKind kind) {
        return new DatasetSpec(kind, Normalization.UNIT, List.of(), 0, 0);
    }

    public boolean bound() {
        return schema != null;
    }

    /** The bound schema; reading the data comes first for a folder tree or a table. */
    public DataSchema schema() {
        if (schema == null) {
            throw new IllegalStateException("the data of " + source.canonical() + " has not been read yet");
        }
        return schema;
    }

    public InputShape shape() {
        return schema().shape();
    }

    /** The kept classes' indices among all of the data's classes, in label order. */
    public List<Integer> classIndices() {
        List<String> all = schema().classNames();
        List<Integer> indices = new ArrayList<>();
        for (int c = 0; c < all.size(); c++) {
            indices.add(c);
        }
        return classes.isEmpty() ? indices : classes.stream().map(all::indexOf).toList();
    }

    public int numClasses() {
        return classes.isEmpty() ? schema().numClasses() : classes.size();
    }

    /** Class names in label order after re-indexing. */
    public List<String> classNames() {
        return classes.isEmpty() ? schema().classNames() : classes;
    }

    /** A stable, human-readable rendering used in trial ids and the {@code dataset} column. */
    public String canonical() {
        StringBuilder sb = new StringBuilder(source.canonical());
        if (!classes.isEmpty()) {
            // The built-ins' ids name classes by index, as they always have; others by name (folders come and go).
            sb.append("[classes=").append(source instanceof DataSource.BuiltIn
                    ? classIndices().stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.join(",", classes)).append(']');
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

    private String where() {
        return source.location() == null ? source.kind() : source.location();
    }
}
