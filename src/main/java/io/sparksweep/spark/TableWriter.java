package io.sparksweep.spark;

import io.sparksweep.data.RawDataset;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a split of pixels as a Parquet table SparkSweep reads back: a {@code label} column (the class name) and
 * the pixels as integer columns {@code p0..pN}, one array column or one MLlib vector column {@code pixels}, in one
 * file, in order.
 */
public final class TableWriter {
    /** How the pixels are laid out. */
    public enum Layout { COLUMNS, ARRAY, VECTOR }

    private TableWriter() {
    }

    public static void write(SparkSession spark, String path, RawDataset.Split split, int size, List<String> names,
            Layout layout) {
        boolean arrayColumn = layout != Layout.COLUMNS;
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("label", DataTypes.StringType, false));
        if (layout == Layout.VECTOR) {
            fields.add(DataTypes.createStructField("pixels", SQLDataTypes.VectorType(), false));
        } else if (arrayColumn) {
            fields.add(DataTypes.createStructField("pixels", DataTypes.createArrayType(DataTypes.IntegerType, false),
                    false));
        } else {
            for (int p = 0; p < size; p++) {
                fields.add(DataTypes.createStructField("p" + p, DataTypes.IntegerType, false));
            }
        }
        List<Row> rows = new ArrayList<>(split.count());
        byte[] pixels = split.pixels();
        for (int i = 0; i < split.count(); i++) {
            Object[] values = new Object[arrayColumn ? 2 : size + 1];
            values[0] = names.get(split.labels()[i]);
            Integer[] row = new Integer[size];
            for (int p = 0; p < size; p++) {
                row[p] = pixels[i * size + p] & 0xff;
            }
            if (layout == Layout.VECTOR) {
                values[1] = Vectors.dense(Arrays.stream(row).mapToDouble(Integer::doubleValue).toArray());
            } else if (arrayColumn) {
                values[1] = row;
            } else {
                System.arraycopy(row, 0, values, 1, size);
            }
            rows.add(RowFactory.create(values));
        }
        Dataset<Row> table = spark.createDataFrame(rows, new StructType(fields.toArray(StructField[]::new)));
        table.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(path);
    }
}
