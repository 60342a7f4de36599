package io.sparksweep.spark;

import io.sparksweep.BadInputException;
import io.sparksweep.data.DataReport;
import io.sparksweep.data.DataSchema;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.NaturalOrder;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.Values;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A table Spark reads (Parquet, CSV with a header, JSON lines, Delta): a label column of any type, whose sorted
 * distinct values are the classes, and features from numeric columns, one MLlib vector column or one array column.
 * Rows are converted on the executors and come back as floats in the order of the files' rows.
 */
public final class TableSource {
    /** How the feature columns are laid out. */
    enum Layout { COLUMNS, VECTOR, ARRAY }

    /** One row as the driver collects it: where it was in its file, its label value and its features. */
    record Example(String file, long start, long position, Object label, float[] features) implements Serializable {
    }

    private TableSource() {
    }

    static OwnData.Read read(SparkSession spark, DataSource.Table source) {
        List<Example> train = examples(spark, source, source.train(), "dataset.table.train");
        List<Example> test = source.test() == null ? null : examples(spark, source, source.test(),
                "dataset.table.test");
        int features = train.get(0).features().length;
        if (test != null && test.get(0).features().length != features) {
            throw new BadInputException("dataset.table.test: " + source.test() + " has " + test.get(0).features().length
                    + " features per row, the training table " + features);
        }
        InputShape shape = shape(source, features);
        List<Object> classes = classes(train);
        if (classes.size() < 2) {
            throw new BadInputException("dataset.table.label: column " + source.label() + " of " + source.train()
                    + " holds one value (" + classes.get(0) + "): a classifier needs two classes or more");
        }
        List<String> names = classes.stream().map(TableSource::name).toList();
        DataSchema schema = new DataSchema(shape, names);
        RawDataset.Split trainSplit = split(train, classes, features, source.train());
        if (test == null) {
            return OwnData.splitOff(source, schema, trainSplit, 0, List.of());
        }
        List<String> unseen = classes(test).stream().filter(c -> !classes.contains(c)).map(TableSource::name).toList();
        if (!unseen.isEmpty()) {
            throw new BadInputException("dataset.table.test: label(s) " + String.join(", ", unseen) + " of "
                    + source.test() + " never seen in training (its classes: " + String.join(", ", names) + ")");
        }
        RawDataset raw = new RawDataset(schema, trainSplit, split(test, classes, features, source.test()));
        return new OwnData.Read(raw, DataReport.of(source, source.location(), raw, 0, List.of(), null));
    }

    /** The table at {@code path} as a model's test set: its labels among the model's classes (others named). */
    static RawDataset.Split testSet(SparkSession spark, DataSource.Table source, String path, DataSchema schema) {
        List<Example> rows = examples(spark, source, path, "--test");
        int features = rows.get(0).features().length;
        if (features != schema.shape().size()) {
            throw new BadInputException("--test: " + path + " has " + features + " features per row, the model reads "
                    + schema.shape().size());
        }
        List<String> unseen = classes(rows).stream().map(TableSource::name)
                .filter(n -> !schema.classNames().contains(n)).toList();
        if (!unseen.isEmpty()) {
            throw new BadInputException("--test: label(s) " + String.join(", ", unseen) + " of " + path + " are not "
                    + "classes of the model (" + String.join(", ", schema.classNames()) + ")");
        }
        float[] values = new float[Math.multiplyExact(rows.size(), features)];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).features(), 0, values, i * features, features);
            labels[i] = schema.classNames().indexOf(name(rows.get(i).label()));
        }
        return new RawDataset.Split(new Values.Floats(values), labels);
    }

    private static InputShape shape(DataSource.Table source, int features) {
        if (source.imageShape() == null) {
            return InputShape.features(features);
        }
        if (source.imageShape().size() != features) {
            throw new BadInputException("dataset.table.image_shape: " + source.imageShape().describe() + " is "
                    + source.imageShape().size() + " values, and the rows of " + source.train() + " have " + features
                    + " features");
        }
        return source.imageShape();
    }

    /** The table's rows, checked and in file order. */
    private static List<Example> examples(SparkSession spark, DataSource.Table source, String path, String key) {
        Dataset<Row> table = load(spark, source, path, key);
        List<String> columns = Arrays.asList(table.columns());
        if (!columns.contains(source.label())) {
            throw new BadInputException("dataset.table.label: no column " + source.label() + " in " + path
                    + "; its columns: " + String.join(", ", columns));
        }
        List<String> featureColumns = source.features().isEmpty()
                ? columns.stream().filter(c -> !c.equals(source.label())).toList() : source.features();
        Layout layout = layout(table, featureColumns, path);
        long rows = table.count();
        if (rows == 0) {
            throw new BadInputException(key + ": " + path + " has no rows");
        }
        long width = layout == Layout.COLUMNS ? featureColumns.size()
                : firstLength(table, featureColumns.get(0), layout);
        OwnData.checkSize(source, rows, width, Float.BYTES, rows + " rows of " + width + " float features");
        checkLabels(table, source.label(), path);
        return collect(table, functions.col(source.label()), featureColumns, layout, path);
    }

    /**
     * The feature rows of the table at {@code path}, in file order, for a model that reads {@code features} (empty:
     * every column but {@code label}): what {@code predict --table} feeds it.
     */
    public static List<float[]> featureRows(SparkSession spark, String path, DataSource.TableFormat format,
            List<String> features, String label) {
        DataSource.Table like = new DataSource.Table(path, null, 0, format, label == null ? "" : label, features, null,
                DataSource.DEFAULT_MAX_DATA_BYTES);
        Dataset<Row> table = load(spark, like, path, "--table");
        List<String> columns = features.isEmpty() ? Arrays.stream(table.columns()).filter(c -> !c.equals(label))
                .toList() : features;
        Layout layout = layout(table, columns, path);
        return collect(table, functions.lit(null), columns, layout, path).stream().map(Example::features).toList();
    }

    /** The rows' {@code label} and features, converted on the executors, back in each file's row order. */
    private static List<Example> collect(Dataset<Row> table, Column label, List<String> featureColumns,
            Layout layout, String path) {
        Column[] selected = new Column[featureColumns.size() + 3];
        selected[0] = functions.input_file_name();
        selected[1] = functions.input_file_block_start();
        selected[2] = label;
        for (int i = 0; i < featureColumns.size(); i++) {
            selected[i + 3] = functions.col(featureColumns.get(i));
        }
        List<Example> examples = new ArrayList<>(table.select(selected).toJavaRDD()
                .mapPartitions(part -> TableRows.convert(part, layout)).collect());
        // Spark orders a scan's file splits by size: back into each file's own order (the sort is stable)
        examples.sort(Comparator.comparing(Example::file).thenComparingLong(Example::start)
                .thenComparingLong(Example::position));
        TableRows.check(examples, featureColumns, layout, path);
        return examples;
    }

    private static Dataset<Row> load(SparkSession spark, DataSource.Table source, String path, String key) {
        DataFrameReader reader = spark.read().format(source.format().key());
        if (source.format() == DataSource.TableFormat.CSV) {
            reader = reader.option("header", "true").option("inferSchema", "true");
        }
        try {
            return reader.load(path);
        } catch (Exception e) { // AnalysisException (a missing path, say), thrown without being declared
            String message = e instanceof AnalysisException a ? a.getSimpleMessage() : e.getMessage();
            throw new BadInputException(key + ": cannot read " + path + " as " + source.format().key() + ": "
                    + message, e);
        }
    }

    /** Numeric columns, or one vector or array column of numbers; anything else is named. */
    private static Layout layout(Dataset<Row> table, List<String> featureColumns, String path) {
        List<String> missing = featureColumns.stream().filter(c -> !Arrays.asList(table.columns()).contains(c))
                .toList();
        if (!missing.isEmpty()) {
            throw new BadInputException("dataset.table.features: no column(s) " + String.join(", ", missing) + " in "
                    + path + "; its columns: " + String.join(", ", table.columns()));
        }
        if (featureColumns.size() == 1) {
            DataType type = table.schema().apply(featureColumns.get(0)).dataType();
            if (type.equals(SQLDataTypes.VectorType())) {
                return Layout.VECTOR;
            }
            if (type instanceof ArrayType array && array.elementType() instanceof NumericType) {
                return Layout.ARRAY;
            }
        }
        List<String> bad = new ArrayList<>();
        for (String c : featureColumns) {
            StructField field = table.schema().apply(c);
            if (!(field.dataType() instanceof NumericType)) {
                bad.add(c + " (" + field.dataType().simpleString() + ")");
            }
        }
        if (!bad.isEmpty()) {
            throw new BadInputException("dataset.table.features: non-numeric column(s) in " + path + ": "
                    + String.join(", ", bad.subList(0, Math.min(10, bad.size()))) + (bad.size() > 10 ? ", ..." : "")
                    + " (features are numeric columns, or one vector or array column; name them in "
                    + "dataset.table.features)");
        }
        return Layout.COLUMNS;
    }

    /** The values in the first row's vector or array column: the width {@code max_data_bytes} is checked with. */
    private static long firstLength(Dataset<Row> table, String column, Layout layout) {
        Row first = table.select(column).first();
        if (first.isNullAt(0)) {
            return 0;
        }
        return layout == Layout.VECTOR ? ((Vector) first.get(0)).size() : first.getList(0).size();
    }

    /** A null or NaN label is refused, naming the column and how many rows. */
    private static void checkLabels(Dataset<Row> table, String label, String path) {
        Column c = functions.col(label);
        DataType type = table.schema().apply(label).dataType();
        Column bad = type instanceof NumericType ? c.isNull().or(functions.isnan(c.cast("double"))) : c.isNull();
        long count = table.filter(bad).count();
        if (count > 0) {
            throw new BadInputException("dataset.table.label: column " + label + " of " + path + " is null or NaN in "
                    + count + " row(s)");
        }
    }

    /** The distinct label values, sorted: numbers as numbers, text in natural order. */
    private static List<Object> classes(List<Example> examples) {
        return examples.stream().map(Example::label).distinct().sorted(TableSource::compareLabels).toList();
    }

    private static int compareLabels(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        return NaturalOrder.INSTANCE.compare(String.valueOf(a), String.valueOf(b));
    }

    /** A class's name: the label as written, whole numbers without a decimal point. */
    private static String name(Object label) {
        if (label instanceof Double || label instanceof Float || label instanceof BigDecimal) {
            BigDecimal d = new BigDecimal(label.toString()).stripTrailingZeros();
            return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        return String.valueOf(label);
    }

    private static RawDataset.Split split(List<Example> examples, List<Object> classes, int features, String path) {
        float[] values = new float[Math.multiplyExact(examples.size(), features)];
        int[] labels = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            System.arraycopy(examples.get(i).features(), 0, values, i * features, features);
            labels[i] = classes.indexOf(examples.get(i).label());
        }
        return new RawDataset.Split(new Values.Floats(values), labels);
    }
}
