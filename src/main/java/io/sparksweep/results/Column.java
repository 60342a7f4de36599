package io.sparksweep.results;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.function.Function;

/**
 * One column of a result table, declared once: its name, type, whether it may be null, and how its value is taken
 * from what a row is made of. A table's schema and its rows both come from one list of these, so they cannot
 * disagree by position.
 *
 * @param <S> what a row of the table is made of (e.g. a trial's result and its run)
 */
record Column<S>(String name, DataType type, boolean nullable, Function<S, Object> value) {
    static <S> StructType schema(List<Column<S>> columns) {
        return new StructType(columns.stream()
                .map(c -> new StructField(c.name(), c.type(), c.nullable(), Metadata.empty()))
                .toArray(StructField[]::new));
    }

    static <S> Row row(List<Column<S>> columns, S source) {
        return RowFactory.create(columns.stream().map(c -> c.value().apply(source)).toArray());
    }
}
