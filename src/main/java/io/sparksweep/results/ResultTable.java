package io.sparksweep.results;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.Locale;

/** The result tables, each a folder of Parquet files under the output directory, and their schemas. */
public enum ResultTable {
    TRIALS(
            col("sweep_id", DataTypes.StringType, false),
            col("sweep_name", DataTypes.StringType, false),
            col("run_id", DataTypes.StringType, false),
            col("trial_id", DataTypes.StringType, false),
            col("status", DataTypes.StringType, false),
            col("error", DataTypes.StringType, true),
            col("model", DataTypes.StringType, false),
            col("hidden_layers", ints(), false),
            col("activation", DataTypes.StringType, false),
            col("conv_channels", ints(), false),
            col("kernel_size", ints(), false),
            col("padding", ints(), false),
            col("optimizer", DataTypes.StringType, false),
            col("momentum", DataTypes.DoubleType, false),
            col("learning_rate", DataTypes.DoubleType, false),
            col("batch_size", DataTypes.IntegerType, false),
            col("epochs", DataTypes.IntegerType, false),
            col("weight_init", DataTypes.StringType, false),
            col("seed", DataTypes.LongType, false),
            col("dataset", DataTypes.StringType, false),
            col("classes", DataTypes.createArrayType(DataTypes.StringType, false), false),
            col("train_samples", DataTypes.IntegerType, false),
            col("test_samples", DataTypes.IntegerType, false),
            col("config", DataTypes.StringType, false),
            col("test_accuracy", DataTypes.DoubleType, true),
            col("test_loss", DataTypes.DoubleType, true),
            col("train_accuracy", DataTypes.DoubleType, true),
            col("train_loss", DataTypes.DoubleType, true),
            col("macro_f1", DataTypes.DoubleType, true),
            col("train_seconds", DataTypes.DoubleType, false),
            col("samples_per_second", DataTypes.DoubleType, false),
            col("parameter_count", DataTypes.LongType, false),
            col("backend", DataTypes.StringType, false),
            col("device", DataTypes.StringType, false),
            col("gpu_address", DataTypes.StringType, true),
            col("threads", DataTypes.IntegerType, false),
            col("executor_id", DataTypes.StringType, false),
            col("host", DataTypes.StringType, false),
            col("dataset_decodes", DataTypes.IntegerType, false),
            col("started_at", DataTypes.TimestampType, false),
            col("finished_at", DataTypes.TimestampType, false),
            col("method", DataTypes.StringType, true),
            col("epochs_trained", DataTypes.IntegerType, true),
            col("best_epoch", DataTypes.IntegerType, true),
            col("rung", DataTypes.IntegerType, true),
            col("train_loop", DataTypes.StringType, true),
            col("data_sha256", DataTypes.StringType, true)),
    EPOCHS(
            col("sweep_id", DataTypes.StringType, false),
            col("trial_id", DataTypes.StringType, false),
            col("epoch", DataTypes.IntegerType, false),
            col("train_loss", DataTypes.DoubleType, false),
            col("test_loss", DataTypes.DoubleType, false),
            col("test_accuracy", DataTypes.DoubleType, false),
            col("seconds", DataTypes.DoubleType, false),
            col("eval_seconds", DataTypes.DoubleType, false)),
    CLASS_METRICS(
            col("sweep_id", DataTypes.StringType, false),
            col("trial_id", DataTypes.StringType, false),
            col("class_index", DataTypes.IntegerType, false),
            col("class_name", DataTypes.StringType, false),
            col("precision", DataTypes.DoubleType, false),
            col("recall", DataTypes.DoubleType, false),
            col("f1", DataTypes.DoubleType, false),
            col("support", DataTypes.LongType, false)),
    CONFUSION(
            col("sweep_id", DataTypes.StringType, false),
            col("trial_id", DataTypes.StringType, false),
            col("actual", DataTypes.IntegerType, false),
            col("predicted", DataTypes.IntegerType, false),
            col("count", DataTypes.LongType, false)),
    SWEEPS(
            col("sweep_id", DataTypes.StringType, false),
            col("run_id", DataTypes.StringType, false),
            col("name", DataTypes.StringType, false),
            col("spec", DataTypes.StringType, false),
            col("master", DataTypes.StringType, false),
            col("trials_planned", DataTypes.IntegerType, false),
            col("started_at", DataTypes.TimestampType, false),
            col("finished_at", DataTypes.TimestampType, true),
            col("versions", DataTypes.StringType, false));

    private final StructType schema;

    ResultTable(StructField... fields) {
        this.schema = new StructType(fields);
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

    private static StructField col(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }

    private static DataType ints() {
        return DataTypes.createArrayType(DataTypes.IntegerType, false);
    }
}
