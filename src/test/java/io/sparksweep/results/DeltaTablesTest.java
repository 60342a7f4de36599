package io.sparksweep.results;

import io.sparksweep.TestSessions;
import io.sparksweep.BadInputException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The result tables' Delta transactions, on real Delta tables in a local Spark session without Delta's extension. */
class DeltaTablesTest {
    static SparkSession spark;

    @TempDir
    java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        spark = TestSessions.local(2).getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void appendedRowsAreReadBackAndReplacedRowsAreNotDuplicated() throws Exception {
        DeltaTables tables = tables("out");
        tables.append(ResultTable.EPOCHS, "s1", rows(ResultTable.EPOCHS, "s1", "a", "b"));
        tables.append(ResultTable.EPOCHS, "s1", rows(ResultTable.EPOCHS, "s1", "c"));
        tables.replace(ResultTable.EPOCHS, "s1", rows(ResultTable.EPOCHS, "s1", "b", "c", "d"),
                DeltaTables.in("trial_id", List.of("b", "c", "d")));
        assertEquals(List.of("a", "b", "c", "d"), ids("out", ResultTable.EPOCHS));
        tables.replace(ResultTable.EPOCHS, "s1", List.of(), DeltaTables.in("trial_id", List.of("a")));
        assertEquals(List.of("b", "c", "d"), ids("out", ResultTable.EPOCHS));
    }

    @Test
    void compactionLeavesOneFilePerSweepWithTheSameRowsAndTouchesNoOtherSweep() throws Exception {
        DeltaTables tables = tables("out");
        for (String id : List.of("a", "b", "c", "d")) {
            tables.append(ResultTable.TRIALS, "s1", rows(ResultTable.TRIALS, "s1", id));
        }
        tables.append(ResultTable.TRIALS, "s2", rows(ResultTable.TRIALS, "s2", "x"));
        tables.append(ResultTable.TRIALS, "s2", rows(ResultTable.TRIALS, "s2", "y"));
        assertEquals(4, tables.files(ResultTable.TRIALS, DeltaTables.inSweep("s1")));
        tables.compact(ResultTable.TRIALS, "s1", 4);
        assertEquals(1, tables.files(ResultTable.TRIALS, DeltaTables.inSweep("s1")));
        assertEquals(2, tables.files(ResultTable.TRIALS, DeltaTables.inSweep("s2")), "another sweep's files");
        tables.compact(ResultTable.TRIALS, "s2", 2);
        assertEquals(1, tables.files(ResultTable.TRIALS, DeltaTables.inSweep("s2")));
        assertEquals(List.of("a", "b", "c", "d", "x", "y"), ids("out", ResultTable.TRIALS));
    }

    @Test
    void rowsOfTrialsWithoutATrialsRowAreOrphansAndRemoved() throws Exception {
        DeltaTables tables = tables("out");
        tables.append(ResultTable.TRIALS, "s1", rows(ResultTable.TRIALS, "s1", "a"));
        tables.append(ResultTable.EPOCHS, "s1", rows(ResultTable.EPOCHS, "s1", "a", "killed"));
        tables.append(ResultTable.CONFUSION, "s1", rows(ResultTable.CONFUSION, "s1", "killed"));
        tables.append(ResultTable.EPOCHS, "s2", rows(ResultTable.EPOCHS, "s2", "other-sweep"));
        ResultStore store = new ResultStore(spark, out("out"));
        assertEquals(Set.of("killed"), store.orphans("s1"));
        assertEquals(1, store.removeOrphans("s1"));
        assertEquals(List.of("a", "other-sweep"), ids("out", ResultTable.EPOCHS));
        assertEquals(List.of(), ids("out", ResultTable.CONFUSION));
    }

    @Test
    void twoSweepsCommittingIntoOneNewOutputAtOnceBothLand() throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (String sweep : List.of("s1", "s2")) {
                writes.add(two.submit(() -> {
                    DeltaTables tables = tables("out");
                    for (int i = 0; i < 4; i++) {
                        tables.append(ResultTable.TRIALS, sweep, rows(ResultTable.TRIALS, sweep, sweep + "-" + i));
                        tables.replace(ResultTable.SWEEPS, sweep, rows(ResultTable.SWEEPS, sweep, "one row"), null);
                    }
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            two.shutdown();
        }
        assertEquals(8, ids("out", ResultTable.TRIALS).size());
        assertEquals(2L, ResultTables.read(spark, out("out"), ResultTable.SWEEPS).count());
    }

    @Test
    void anOutputInTheOldLayoutIsRefusedWithTheCommandThenConvertedInPlace() throws Exception {
        String old = out("old");
        spark.createDataFrame(rows(ResultTable.TRIALS, "s1", "a", "b"), ResultTable.TRIALS.schema()).coalesce(1)
                .write().parquet(old + "/trials");
        BadInputException refused = assertThrows(BadInputException.class, () -> new ResultStore(spark, old));
        assertTrue(refused.getMessage().contains("convert it once with: sparksweep convert --output " + old),
                refused.getMessage());
        assertThrows(BadInputException.class, () -> ResultTables.read(spark, old, ResultTable.TRIALS));

        assertEquals(List.of(ResultTable.TRIALS), new LayoutConversion(spark, old).convert());
        assertEquals(List.of("a", "b"), ids("old", ResultTable.TRIALS));
        assertTrue(Files.isDirectory(tmp.resolve("old").resolve(LayoutConversion.OLD).resolve("trials")));
        assertEquals(List.of(), new LayoutConversion(spark, old).convert(), "a converted output stays as it is");
    }

    private DeltaTables tables(String name) throws Exception {
        Path root = new Path(out(name));
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        return new DeltaTables(spark, root, fs);
    }

    private String out(String name) {
        return tmp.resolve(name).toString();
    }

    private List<String> ids(String name, ResultTable table) {
        return ResultTables.read(spark, out(name), table).select("trial_id").distinct().orderBy("trial_id")
                .as(Encoders.STRING()).collectAsList();
    }

    /** One row per trial id: the ids where the table has them, every other column a plain value of its type. */
    private static List<Row> rows(ResultTable table, String sweepId, String... trialIds) {
        List<Row> rows = new ArrayList<>();
        for (String trialId : trialIds) {
            List<Object> values = new ArrayList<>();
            for (StructField field : table.schema().fields()) {
                values.add(switch (field.name()) {
                    case "sweep_id" -> sweepId;
                    case "trial_id" -> trialId;
                    default -> valueOf(field);
                });
            }
            rows.add(RowFactory.create(values.toArray()));
        }
        return rows;
    }

    private static Object valueOf(StructField field) {
        DataType type = field.dataType();
        if (field.nullable()) {
            return null;
        } else if (type.equals(DataTypes.StringType)) {
            return "x";
        } else if (type.equals(DataTypes.IntegerType)) {
            return 1;
        } else if (type.equals(DataTypes.LongType)) {
            return 1L;
        } else if (type.equals(DataTypes.DoubleType)) {
            return 0.5;
        } else if (type.equals(DataTypes.BooleanType)) {
            return true;
        } else if (type.equals(DataTypes.TimestampType)) {
            return new Timestamp(0);
        } else if (type instanceof ArrayType) {
            return List.of();
        } else if (type instanceof MapType) {
            return Map.of();
        }
        throw new AssertionError(field + " needs a value");
    }
}
