package io.sparksweep.results;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a few rows to one Parquet file directly from the driver, with parquet-hadoop (which Spark itself uses),
 * in the layout Spark writes and reads: UTF-8 strings, timestamps as microseconds since the epoch (UTC), arrays
 * as standard three-level lists. A Spark job per write would take an executor slot from training for every table
 * of every trial; this takes none. Covers the column types of {@link ResultTable}.
 */
final class ParquetFiles {
    private ParquetFiles() {
    }

    static void write(Configuration conf, Path file, StructType schema, List<Row> rows) throws IOException {
        MessageType parquetSchema = parquetSchema(schema);
        SimpleGroupFactory groups = new SimpleGroupFactory(parquetSchema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf).withType(parquetSchema).withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.CREATE).build()) {
            for (Row row : rows) {
                Group group = groups.newGroup();
                StructField[] fields = schema.fields();
                for (int i = 0; i < fields.length; i++) {
                    if (row.isNullAt(i)) {
                        if (!fields[i].nullable()) {
                            throw new IllegalArgumentException("column " + fields[i].name() + " is null");
                        }
                        continue;
                    }
                    if (fields[i].dataType() instanceof ArrayType array) {
                        Group list = group.addGroup(fields[i].name());
                        for (Object element : elements(row.get(i))) {
                            add(list.addGroup("list"), "element", array.elementType(), element);
                        }
                    } else {
                        add(group, fields[i].name(), fields[i].dataType(), row.get(i));
                    }
                }
                writer.write(group);
            }
        }
    }

    /** Arrays come as Scala sequences (rows built for Spark) or Java lists. */
    private static Iterable<?> elements(Object array) {
        return array instanceof scala.collection.Iterable<?> seq
                ? scala.jdk.javaapi.CollectionConverters.asJava(seq) : (Iterable<?>) array;
    }

    private static void add(Group group, String name, DataType type, Object value) {
        if (type.equals(DataTypes.StringType)) {
            group.add(name, (String) value);
        } else if (type.equals(DataTypes.IntegerType)) {
            group.add(name, (Integer) value);
        } else if (type.equals(DataTypes.LongType)) {
            group.add(name, (Long) value);
        } else if (type.equals(DataTypes.DoubleType)) {
            group.add(name, (Double) value);
        } else if (type.equals(DataTypes.BooleanType)) {
            group.add(name, (Boolean) value);
        } else if (type.equals(DataTypes.TimestampType)) {
            Timestamp ts = (Timestamp) value;
            group.add(name, Math.floorDiv(ts.getTime(), 1000) * 1_000_000L + ts.getNanos() / 1000);
        } else {
            throw new IllegalArgumentException("no Parquet mapping for " + type);
        }
    }

    static MessageType parquetSchema(StructType schema) {
        List<Type> fields = new ArrayList<>();
        for (StructField field : schema.fields()) {
            Repetition repetition = field.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
            if (field.dataType() instanceof ArrayType array) {
                Repetition elements = array.containsNull() ? Repetition.OPTIONAL : Repetition.REQUIRED;
                fields.add(Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType())
                        .addField(new GroupType(Repetition.REPEATED, "list",
                                primitive(elements, "element", array.elementType())))
                        .named(field.name()));
            } else {
                fields.add(primitive(repetition, field.name(), field.dataType()));
            }
        }
        return new MessageType("spark_schema", fields);
    }

    private static Type primitive(Repetition repetition, String name, DataType type) {
        if (type.equals(DataTypes.StringType)) {
            return Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType())
                    .named(name);
        }
        if (type.equals(DataTypes.IntegerType)) {
            return Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
        }
        if (type.equals(DataTypes.LongType)) {
            return Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
        }
        if (type.equals(DataTypes.DoubleType)) {
            return Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
        }
        if (type.equals(DataTypes.BooleanType)) {
            return Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
        }
        if (type.equals(DataTypes.TimestampType)) {
            return Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
        }
        throw new IllegalArgumentException("no Parquet mapping for " + type + " (column " + name + ")");
    }
}
