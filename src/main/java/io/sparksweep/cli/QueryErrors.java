package io.sparksweep.cli;

import io.sparksweep.results.ResultTable;
import io.sparksweep.results.ResultTables;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.types.StructField;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns Spark's analysis errors into one line that says what exists: the tables, or the columns of each table. */
final class QueryErrors {
    private QueryErrors() {
    }

    static String explain(AnalysisException e) {
        String condition = e.getCondition() == null ? "" : e.getCondition();
        Map<String, String> parameters = e.getMessageParameters();
        if (condition.startsWith("TABLE_OR_VIEW_NOT_FOUND")) {
            return "query failed: no table " + parameters.getOrDefault("relationName", "?") + "; the tables are "
                    + String.join(", ", ResultTables.viewNames()) + " ('tables' lists their columns)";
        }
        if (condition.startsWith("UNRESOLVED_COLUMN")) {
            return "query failed: no column " + parameters.getOrDefault("objectName", "?") + "; columns: "
                    + columnsByTable();
        }
        return "query failed: " + firstLine(e.getMessage());
    }

    /** e.g. {@code trials(trial_id, model, ...); epochs(...)} */
    static String columnsByTable() {
        return Arrays.stream(ResultTable.values())
                .map(t -> t.tableName() + "(" + Arrays.stream(t.schema().fields()).map(StructField::name)
                        .collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; ")) + ResultTables.derivedViews().entrySet().stream()
                .map(e -> "; " + e.getKey() + "(" + String.join(", ", e.getValue()) + ")").collect(Collectors.joining());
    }

    private static String firstLine(String message) {
        String line = message.strip().split("\\R", 2)[0];
        return line.toLowerCase(Locale.ROOT).startsWith("[") ? line.substring(line.indexOf(']') + 1).strip() : line;
    }
}
