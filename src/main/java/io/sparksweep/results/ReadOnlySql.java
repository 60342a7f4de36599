package io.sparksweep.results;

import io.sparksweep.BadInputException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

import java.util.Set;

/**
 * Lets through only statements that read. {@code spark.sql} runs commands eagerly (a DROP or INSERT happens as the
 * DataFrame is created), so the statement is parsed, not run, and refused when any part of its plan is a command
 * or a write, unless it is one of the commands that only describe (SHOW, DESCRIBE, EXPLAIN).
 */
public final class ReadOnlySql {
    private static final Set<String> DESCRIBING = Set.of("ShowTables", "ShowViews", "ShowColumns", "ShowFunctions",
            "ShowTableExtended", "DescribeRelation", "DescribeColumn", "DescribeFunction", "ExplainCommand",
            "ShowTablesCommand", "ShowViewsCommand", "ShowColumnsCommand", "DescribeTableCommand",
            "DescribeColumnCommand");

    private ReadOnlySql() {
    }

    /**
     * @throws BadInputException naming the statement's kind when it would write, drop or change anything
     * @throws ParseException    for text Spark cannot parse (reported by the caller like other query errors)
     */
    public static void check(SparkSession spark, String sql) throws ParseException {
        LogicalPlan plan = spark.sessionState().sqlParser().parsePlan(sql);
        String kind = plan.getClass().getSimpleName();
        if (DESCRIBING.contains(kind)) {
            return;
        }
        String writer = firstWriter(plan);
        if (writer != null) {
            throw new BadInputException("query only reads result tables; this statement would change something ("
                    + writer + "): use SELECT, WITH, SHOW or DESCRIBE");
        }
    }

    private static String firstWriter(LogicalPlan plan) {
        String kind = plan.getClass().getSimpleName();
        if (plan instanceof org.apache.spark.sql.catalyst.plans.logical.Command
                || plan instanceof org.apache.spark.sql.catalyst.plans.logical.ParsedStatement
                || kind.startsWith("InsertInto") || kind.contains("Write")) {
            return kind;
        }
        for (LogicalPlan child : scala.jdk.javaapi.CollectionConverters.asJava(plan.children())) {
            String found = firstWriter(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
