package io.sparksweep.cli;

import io.sparksweep.results.ResultTable;
import io.sparksweep.results.ResultTables;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code tables}: the result tables and their columns, for writing queries. Needs no results and no Spark. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "List the result tables and their columns (what 'query' can select from).")
final class TablesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        StringBuilder out = new StringBuilder();
        for (ResultTable table : ResultTable.values()) {
            out.append(table.tableName()).append('\n');
            for (StructField field : table.schema().fields()) {
                out.append(String.format("  %-22s %s%s%n", field.name(), field.dataType().simpleString(),
                        field.nullable() ? "" : " not null"));
            }
        }
        ResultTables.derivedViews().forEach((view, columns) -> {
            out.append(view).append(" (a view over trials: trials that differ only in their seed as one "
                    + "configuration)\n");
            columns.forEach(c -> out.append("  ").append(c).append('\n'));
        });
        System.out.print(out);
        return Main.OK;
    }
}
