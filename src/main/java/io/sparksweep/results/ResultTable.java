package io.sparksweep.results;

import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.Locale;

/** The result tables, each a folder of Parquet files under the output directory; columns in {@link ResultColumns}. */
public enum ResultTable {
    TRIALS(Column.schema(ResultColumns.TRIALS)),
    EPOCHS(Column.schema(ResultColumns.EPOCHS)),
    CLASS_METRICS(Column.schema(ResultColumns.CLASS_METRICS)),
    CONFUSION(Column.schema(ResultColumns.CONFUSION)),
    FOLDS(Column.schema(ResultColumns.FOLDS)),
    SWEEPS(Column.schema(ResultColumns.SWEEPS)),
    IMPORTANCE(Column.schema(ResultColumns.IMPORTANCE)),
    MODELS(Column.schema(ResultColumns.MODELS));

    private final StructType schema;

    ResultTable(StructType schema) {
        this.schema = schema;
    }

    /** The table's name, also its folder name and its SQL view name, e.g. {@code class_metrics}. */
    public String tableName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public StructType schema() {
        return schema;
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(ResultTable::tableName).toList());
    }
}
