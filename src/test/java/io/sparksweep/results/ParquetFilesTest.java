package io.sparksweep.results;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Files written on the driver read back in Spark exactly as Spark's own files would, schema included. */
class ParquetFilesTest {
    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("name", DataTypes.StringType, false, Metadata.empty()),
        new StructField("note", DataTypes.StringType, true, Metadata.empty()),
        new StructField("count", DataTypes.IntegerType, false, Metadata.empty()),
        new StructField("big", DataTypes.LongType, false, Metadata.empty()),
        new StructField("score", DataTypes.DoubleType, true, Metadata.empty()),
        new StructField("at", DataTypes.TimestampType, false, Metadata.empty()),
        new StructField("sizes", DataTypes.createArrayType(DataTypes.IntegerType, false), false, Metadata.empty()),
        new StructField("labels", DataTypes.createArrayType(DataTypes.StringType, false), false, Metadata.empty()),
    });

    @TempDir
    static java.nio.file.Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void rowsOfEveryColumnTypeReadBackUnchanged() throws Exception {
        Timestamp at = Timestamp.from(Instant.parse("2026-11-22T10:15:30.123456Z"));
        Timestamp before1970 = Timestamp.from(Instant.parse("1969-12-31T23:59:59.5Z"));
        List<Row> rows = List.of(
                RowFactory.create("ünïcode ✓", null, 7, 1L << 40, 0.875, at, List.of(16, 16), List.of("T-shirt/top")),
                RowFactory.create("b", "note", -1, 0L, null, before1970, List.of(), List.of("a", "b")));
        Path file = new Path(tmp.resolve("t.parquet").toUri());
        ParquetFiles.write(new Configuration(), file, SCHEMA, rows);

        List<Row> read = spark.read().schema(SCHEMA).parquet(file.toString()).collectAsList();
        assertEquals(2, read.size());
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < SCHEMA.size(); c++) {
                Object expected = rows.get(r).get(c);
                Object actual = SCHEMA.fields()[c].dataType() instanceof org.apache.spark.sql.types.ArrayType
                        ? read.get(r).getList(c) : read.get(r).get(c);
                assertEquals(expected, actual, SCHEMA.fields()[c].name() + " of row " + r);
            }
        }
        // Self-describing: Spark infers the same column types from the file alone.
        StructType inferred = spark.read().parquet(file.toString()).schema();
        for (StructField field : SCHEMA.fields()) {
            assertEquals(field.dataType().simpleString(), inferred.apply(field.name()).dataType().simpleString(),
                    field.name());
        }
    }

    @Test
    void aNullInARequiredColumnIsRefused() {
        Row bad = RowFactory.create(null, null, 1, 1L, 1.0, new Timestamp(0), List.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> ParquetFiles.write(new Configuration(),
                new Path(tmp.resolve("bad.parquet").toUri()), SCHEMA, List.of(bad)));
    }
}
