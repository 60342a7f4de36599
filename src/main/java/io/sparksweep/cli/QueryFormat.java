package io.sparksweep.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How {@code query} prints its rows: an aligned table for people, CSV, JSON Lines (one object per row, Spark's own
 * encoding, nulls kept) or a Markdown table for programs and notes. Machine formats print every row unless
 * {@code --limit} is given, and nothing but the rows.
 */
enum QueryFormat {
    TABLE, CSV, JSON, MARKDOWN;

    /** Rows shown by default: a screenful for people, everything for programs. */
    int defaultLimit() {
        return this == TABLE ? 100 : Integer.MAX_VALUE;
    }

    String render(Dataset<Row> frame, int limit) {
        return switch (this) {
            case TABLE -> TablePrinter.render(frame, limit);
            case CSV -> csv(frame, limit);
            case JSON -> json(frame, limit);
            case MARKDOWN -> markdown(frame, limit);
        };
    }

    private static String csv(Dataset<Row> frame, int limit) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator('\n')
                .setHeader(frame.columns()).build())) {
            for (Row row : rows(frame, limit)) {
                Object[] cells = new Object[row.length()];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = row.isNullAt(i) ? "" : TablePrinter.cell(row.get(i));
                }
                csv.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String json(Dataset<Row> frame, int limit) {
        StringBuilder out = new StringBuilder();
        for (String line : (limit == Integer.MAX_VALUE ? frame : frame.limit(limit)).toJSON().collectAsList()) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static String markdown(Dataset<Row> frame, int limit) {
        String[] columns = frame.columns();
        StringBuilder out = new StringBuilder("|");
        for (String column : columns) {
            out.append(' ').append(escape(column)).append(" |");
        }
        out.append("\n|").append(" --- |".repeat(columns.length)).append('\n');
        for (Row row : rows(frame, limit)) {
            out.append('|');
            for (int i = 0; i < columns.length; i++) {
                out.append(' ').append(escape(TablePrinter.cell(row.get(i)))).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace("\n", " ");
    }

    private static List<Row> rows(Dataset<Row> frame, int limit) {
        return (limit == Integer.MAX_VALUE ? frame : frame.limit(limit)).collectAsList();
    }
}
