package io.sparksweep.spark;

import io.sparksweep.BadInputException;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A table's rows to floats, on the executors, and the checks of what came back. */
final class TableRows {
    private TableRows() {
    }

    /** Rows of (file, block start, label, features...) as examples, positions counted within the partition. */
    static Iterator<TableSource.Example> convert(Iterator<Row> rows, TableSource.Layout layout) {
        List<TableSource.Example> out = new ArrayList<>();
        long position = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            out.add(new TableSource.Example(row.getString(0), row.getLong(1), position++, row.get(2),
                    features(row, layout)));
        }
        return out.iterator();
    }

    private static float[] features(Row row, TableSource.Layout layout) {
        if (layout == TableSource.Layout.VECTOR) {
            if (row.isNullAt(3)) {
                return null;
            }
            double[] values = ((Vector) row.get(3)).toArray();
            float[] out = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (float) values[i];
            }
            return out;
        }
        if (layout == TableSource.Layout.ARRAY) {
            if (row.isNullAt(3)) {
                return null;
            }
            List<Object> values = row.getList(3);
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = value(values.get(i));
            }
            return out;
        }
        float[] out = new float[row.length() - 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = value(row.get(i + 3));
        }
        return out;
    }

    /** A null feature becomes NaN, which {@link #check} refuses with the column's name. */
    private static float value(Object v) {
        if (v == null) {
            return Float.NaN;
        }
        return v instanceof BigDecimal d ? d.floatValue() : ((Number) v).floatValue();
    }

    /** Every row has as many features as the first, all finite; else one message naming the column and row. */
    static void check(List<TableSource.Example> examples, List<String> columns, TableSource.Layout layout,
            String path) {
        int width = -1;
        for (int r = 0; r < examples.size(); r++) {
            float[] f = examples.get(r).features();
            if (f == null) {
                throw new BadInputException("dataset.table.features: column " + columns.get(0) + " of " + path
                        + " is null in row " + (r + 1));
            }
            if (width < 0) {
                width = f.length;
            } else if (f.length != width) {
                throw new BadInputException("dataset.table.features: column " + columns.get(0) + " of " + path
                        + " holds " + f.length + " values in row " + (r + 1) + " and " + width + " in row 1");
            }
            for (int i = 0; i < f.length; i++) {
                if (!Float.isFinite(f[i])) {
                    String column = layout == TableSource.Layout.COLUMNS ? columns.get(i)
                            : columns.get(0) + "[" + i + "]";
                    throw new BadInputException("dataset.table.features: column " + column + " of " + path + " is "
                            + (Float.isNaN(f[i]) ? "null or NaN" : "infinite") + " in row " + (r + 1)
                            + " (features must be finite numbers)");
                }
            }
        }
        if (width == 0) {
            throw new BadInputException("dataset.table.features: the rows of " + path + " have no features");
        }
    }
}
