package io.sparksweep.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.List;

/** Renders the first rows of a DataFrame as an aligned text table. */
final class TablePrinter {
    private TablePrinter() {
    }

    static String render(Dataset<Row> frame, int limit) {
        String[] columns = frame.columns();
        List<Row> rows = frame.limit(limit + 1).collectAsList();
        boolean truncated = rows.size() > limit;
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
            String[] line = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                line[i] = cell(row.get(i));
            }
            cells.add(line);
        }
        int[] width = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            width[i] = columns[i].length();
            for (String[] line : cells) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendLine(sb, columns, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        sb.append(rule).append('\n');
        for (String[] line : cells) {
            appendLine(sb, line, width);
        }
        sb.append(cells.size()).append(cells.size() == 1 ? " row" : " rows")
                .append(truncated ? " (more not shown; raise --limit)" : "").append('\n');
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String[] values, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            line.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", values[i]));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    static String cell(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Seq<?> seq) {
            return CollectionConverters.asJava(seq).toString();
        }
        return value.toString();
    }
}
