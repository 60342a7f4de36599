package io.sparksweep.data;

import java.io.Serializable;
import java.util.List;

/**
 * What a sweep learns about its data once the data is read: the input shape and every class's name, in label
 * order. The built-in datasets know theirs before reading; a folder tree or a table tells it.
 */
public record DataSchema(InputShape shape, List<String> classNames) implements Serializable {
    public DataSchema {
        classNames = List.copyOf(classNames);
    }

    public int numClasses() {
        return classNames.size();
    }

    public static DataSchema of(DatasetKind kind) {
        return new DataSchema(InputShape.image(1, kind.imageRows(), kind.imageCols()), kind.classNames());
    }
}
