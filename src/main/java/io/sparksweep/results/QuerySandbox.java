package io.sparksweep.results;

import io.sparksweep.BadInputException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.TryReflect;
import org.apache.spark.sql.catalyst.expressions.UserDefinedExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationRef;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import org.apache.spark.sql.catalyst.plans.logical.Range;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import scala.Option;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import static scala.jdk.javaapi.CollectionConverters.asJava;

/**
 * Runs a user's SQL so that it can only read SparkSweep's result views. The statement runs in a session of its own
 * (views registered there, settings changed there, so a notebook's session is untouched) that cannot name files as
 * tables ({@code spark.sql.runSQLOnFiles} off). Before anything runs, the parsed statement must be a query or a
 * describing command, without EXECUTE IMMEDIATE (its text is a statement that would only be known while running)
 * and without functions that call Java methods by name; then its analyzed plan, subqueries included, must read
 * nothing but the relations the result views read, with no user-defined or reflective expressions.
 */
public final class QuerySandbox {
    /** Deeper nesting than this is refused before Spark's recursive parser and analyzer see it. */
    public static final int MAX_NESTING = 100;

    private static final Set<String> DESCRIBING = Set.of("ShowTables", "ShowViews", "ShowColumns", "ShowFunctions",
            "ShowTableExtended", "DescribeRelation", "DescribeColumn", "DescribeFunction", "ExplainCommand",
            "ShowTablesCommand", "ShowViewsCommand", "ShowColumnsCommand", "DescribeTableCommand",
            "DescribeColumnCommand");
    /** The expression classes behind the built-in functions that call a Java method the query names. */
    private static final Set<String> REFLECTIVE = Set.of(CallMethodViaReflection.class.getName(),
            TryReflect.class.getName());

    private final SparkSession session;
    private final String outputDir;
    private final String sweepName;
    /** The files the registered views read: the only files a statement may read. */
    private final Set<Path> readable = new HashSet<>();

    private QuerySandbox(SparkSession session, String outputDir, String sweepName) {
        this.session = session;
        this.outputDir = outputDir;
        this.sweepName = sweepName;
    }

    /**
     * A sandbox over the results in {@code outputDir}: a new session (sharing {@code spark}'s context) for the
     * result views, limited to one sweep's rows when {@code sweepName} is not null.
     */
    public static QuerySandbox over(SparkSession spark, String outputDir, String sweepName) {
        SparkSession session = spark.newSession();
        session.conf().set("spark.sql.runSQLOnFiles", "false");
        session.conf().set("spark.sql.jsonGenerator.ignoreNullFields", "false");
        return new QuerySandbox(session, outputDir, sweepName);
    }

    /**
     * The statement's result, after every check has passed. Spark parses, analyzes and plans recursively: a
     * statement nested deeply without parentheses can still overflow the stack, which the caller reports.
     *
     * @throws BadInputException naming what was refused
     * @throws ParseException    for text Spark cannot parse (reported by the caller like other query errors)
     */
    public Dataset<Row> run(String sql) throws ParseException {
        checkNesting(sql);
        LogicalPlan parsed = session.sessionState().sqlParser().parsePlan(sql);
        register(named(parsed));
        check(parsed);
        return session.sql(sql);
    }

    /**
     * The result views the statement names (each one registered reads its table's Delta log, so only those are):
     * every view for a describing command (SHOW TABLES lists them) or a name computed while analyzing
     * ({@code IDENTIFIER(...)}).
     */
    private static Set<String> named(LogicalPlan parsed) {
        Set<String> all = Set.copyOf(ResultTables.viewNames());
        if (DESCRIBING.contains(parsed.getClass().getSimpleName())) {
            return all;
        }
        Set<String> names = new HashSet<>();
        boolean[] computed = {false};
        forEachPlan(parsed instanceof ExplainCommand explain ? explain.logicalPlan() : parsed, plan -> {
            if (plan instanceof UnresolvedRelation relation && relation.multipartIdentifier().size() == 1) {
                names.add(relation.multipartIdentifier().head().toLowerCase(Locale.ROOT));
            }
            computed[0] |= plan.getClass().getSimpleName().contains("UnresolvedIdentifier");
        });
        return computed[0] ? all : names;
    }

    /** Registers the views and notes the files they read. */
    private void register(Set<String> views) {
        ResultTables.registerViews(session, outputDir, sweepName, views);
        for (String view : ResultTables.viewNames()) {
            if (session.catalog().tableExists(view)) {
                forEachPlan(session.table(view).queryExecution().analyzed(),
                        plan -> readable.addAll(rootPaths(plan)));
            }
        }
    }

    private void check(LogicalPlan parsed) {
        String kind = parsed.getClass().getSimpleName();
        if (parsed instanceof ExplainCommand explain) {
            check(explain.logicalPlan());
            return;
        }
        if (DESCRIBING.contains(kind)) {
            return;
        }
        Set<String> cteNames = new HashSet<>();
        forEachPlan(parsed, plan -> {
            if (plan instanceof UnresolvedWith with) {
                for (var cte : asJava(with.cteRelations())) {
                    cteNames.add(cte._1().toLowerCase(Locale.ROOT));
                }
            }
        });
        forEachPlan(parsed, plan -> checkParsed(plan, cteNames));
        LogicalPlan analyzed = session.sessionState().analyzer().execute(parsed);
        forEachPlan(analyzed, this::checkAnalyzed);
    }

    private void checkParsed(LogicalPlan plan, Set<String> cteNames) {
        String kind = plan.getClass().getSimpleName();
        if (kind.contains("ExecuteImmediate")) {
            throw new BadInputException("query does not run EXECUTE IMMEDIATE: the statement it runs is a string "
                    + "that cannot be checked before it runs; write that statement itself");
        }
        if (plan instanceof Command || plan instanceof ParsedStatement || kind.startsWith("InsertInto")
                || kind.contains("Write")) {
            throw new BadInputException("query only reads result tables; this statement is a command (" + kind
                    + "), not a query: use SELECT, WITH, SHOW TABLES, SHOW COLUMNS or DESCRIBE");
        }
        if (plan instanceof UnresolvedRelation relation) {
            checkRelation(relation, cteNames);
        }
        forEachExpression(plan, this::checkFunction);
    }

    private static void checkRelation(UnresolvedRelation relation, Set<String> cteNames) {
        List<String> name = asJava(relation.multipartIdentifier());
        String quoted = "`" + String.join("`.`", name) + "`";
        if (name.size() > 1) {
            throw new BadInputException("query reads only the result tables (" + ResultTable.names() + "); "
                    + quoted + " names a file or another catalog's table");
        }
        String only = name.get(0).toLowerCase(Locale.ROOT);
        if (!ResultTables.viewNames().contains(only) && !cteNames.contains(only)) {
            throw new BadInputException("query failed: no table " + quoted + "; the tables are "
                    + String.join(", ", ResultTables.viewNames()) + " ('tables' lists their columns)");
        }
    }

    private void checkFunction(Expression expression) {
        if (expression instanceof UnresolvedFunction function) {
            List<String> name = asJava(function.nameParts());
            Option<ExpressionInfo> info = session.sessionState().functionRegistry()
                    .lookupFunction(FunctionIdentifier.apply(name.get(name.size() - 1).toLowerCase(Locale.ROOT)));
            if (info.isDefined() && REFLECTIVE.contains(info.get().getClassName())) {
                throw refusedFunction(String.join(".", name));
            }
        }
    }

    private void checkAnalyzed(LogicalPlan plan) {
        if (plan instanceof UnresolvedRelation relation) { // e.g. named by IDENTIFIER('...')
            checkRelation(relation, Set.of());
        }
        if (plan.children().isEmpty() && !readableLeaf(plan)) {
            throw new BadInputException("query reads only the result tables (" + ResultTable.names()
                    + "); this statement reads " + plan.simpleString(1));
        }
        forEachExpression(plan, expression -> {
            if (expression instanceof CallMethodViaReflection || expression instanceof UserDefinedExpression) {
                throw refusedFunction(expression.prettyName());
            }
        });
    }

    private boolean readableLeaf(LogicalPlan leaf) {
        if (leaf instanceof LogicalRelation) {
            Set<Path> paths = rootPaths(leaf);
            return !paths.isEmpty() && readable.containsAll(paths);
        }
        return leaf instanceof LocalRelation || leaf instanceof OneRowRelation || leaf instanceof Range
                || leaf instanceof CTERelationRef;
    }

    private static BadInputException refusedFunction(String name) {
        return new BadInputException("query does not call " + name + ": functions that run Java code (reflect, "
                + "java_method, try_reflect, user-defined functions) are refused");
    }

    private static Set<Path> rootPaths(LogicalPlan plan) {
        if (plan instanceof LogicalRelation relation && relation.relation() instanceof HadoopFsRelation files) {
            return new HashSet<>(asJava(files.location().rootPaths()));
        }
        return Set.of();
    }

    /** Visits the plan, its children and the plans of its subquery expressions, depth first. */
    private static void forEachPlan(LogicalPlan plan, Consumer<LogicalPlan> visit) {
        visit.accept(plan);
        for (LogicalPlan child : asJava(plan.children())) {
            forEachPlan(child, visit);
        }
        for (LogicalPlan subquery : asJava(plan.subqueries())) {
            forEachPlan(subquery, visit);
        }
    }

    private static void forEachExpression(LogicalPlan plan, Consumer<Expression> visit) {
        for (Expression expression : asJava(plan.expressions())) {
            forEachExpression(expression, visit);
        }
    }

    private static void forEachExpression(Expression expression, Consumer<Expression> visit) {
        visit.accept(expression);
        for (Expression child : asJava(expression.children())) {
            forEachExpression(child, visit);
        }
    }

    /** Refuses text nested deeper than {@link #MAX_NESTING} parentheses, outside quotes and comments. */
    static void checkNesting(String sql) {
        int depth = 0;
        int deepest = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = closing(sql, i, c);
            } else if (c == '-' && sql.startsWith("--", i)) {
                i = endOf(sql, "\n", i);
            } else if (c == '/' && sql.startsWith("/*", i)) {
                i = endOf(sql, "*/", i);
            } else if (c == '(') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ')') {
                depth--;
            }
        }
        if (deepest > MAX_NESTING) {
            throw new BadInputException("query nests parentheses " + deepest + " deep; at most " + MAX_NESTING
                    + " are allowed");
        }
    }

    private static int closing(String sql, int open, char quote) {
        for (int i = open + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return sql.length();
    }

    private static int endOf(String sql, String end, int from) {
        int at = sql.indexOf(end, from + 2);
        return at < 0 ? sql.length() : at + end.length() - 1;
    }
}
