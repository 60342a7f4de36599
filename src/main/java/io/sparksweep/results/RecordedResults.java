package io.sparksweep.results;

import io.sparksweep.BadInputException;
import io.sparksweep.search.Point;
import io.sparksweep.search.RecordedExecutor;
import io.sparksweep.search.SearchSpace;
import io.sparksweep.spec.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.collection.Seq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static scala.jdk.javaapi.CollectionConverters.asJava;

/**
 * A finished sweep's results as a lookup table for simulations: for each point of its grid (the parameters whose
 * values differ between its trials), the metric after each epoch and each epoch's seconds (training plus
 * evaluation), averaged over the point's seeds. Only completed trials of the largest epoch count are used.
 */
public record RecordedResults(SearchSpace space, Map<Point, RecordedExecutor.Curve> table, int epochs) {

    /** @param metric an {@code epochs} column: val_accuracy, val_loss, test_accuracy, test_loss or train_loss */
    public static RecordedResults load(SparkSession spark, String output, String sweepName, String metric) {
        Dataset<Row> trials = ResultTables.read(spark, output, ResultTable.TRIALS)
                .where(functions.col("sweep_name").equalTo(sweepName).and(functions.col("status").equalTo("COMPLETED")));
        Row longest = trials.agg(functions.max("epochs")).first();
        if (longest.isNullAt(0)) {
            throw new BadInputException("no completed trials of a sweep named " + sweepName + " in " + output);
        }
        int epochs = longest.getInt(0);
        List<Row> rows = trials.where(functions.col("epochs").equalTo(epochs)).collectAsList();
        List<Param> swept = swept(rows);
        if (swept.isEmpty()) {
            throw new BadInputException("sweep " + sweepName + " in " + output + " tried one configuration only: "
                    + "nothing to search");
        }
        Map<String, Point> pointOf = new HashMap<>();
        for (Row row : rows) {
            pointOf.put(row.getAs("trial_id"), point(row, swept));
        }
        Map<Point, RecordedExecutor.Curve> table = curves(spark, output, SweepRun.sweepId(sweepName), pointOf, metric,
                epochs);
        return new RecordedResults(space(swept, table.keySet()), table, epochs);
    }

    /** The parameters whose values differ between the trials. */
    private static List<Param> swept(List<Row> rows) {
        List<Param> swept = new ArrayList<>();
        for (Param param : Param.values()) {
            Set<Object> values = new LinkedHashSet<>();
            rows.forEach(row -> values.add(value(row, param)));
            if (values.size() > 1 && param != Param.EPOCHS) {
                swept.add(param);
            }
        }
        return swept;
    }

    private static Object value(Row row, Param param) {
        Object value = row.getAs(param.key());
        return value instanceof Seq<?> seq ? List.copyOf(asJava(seq)) : value;
    }

    private static Point point(Row row, List<Param> swept) {
        Map<Param, Object> values = new EnumMap<>(Param.class);
        swept.forEach(param -> values.put(param, value(row, param)));
        return new Point(values);
    }

    private static Map<Point, RecordedExecutor.Curve> curves(SparkSession spark, String output, String sweepId,
            Map<String, Point> pointOf, String metric, int epochs) {
        Map<Point, double[][]> sums = new LinkedHashMap<>(); // per point: value sums, second sums, seed counts
        for (Row row : ResultTables.read(spark, output, ResultTable.EPOCHS)
                .where(functions.col("sweep_id").equalTo(sweepId))
                .select("trial_id", "epoch", metric, "seconds", "eval_seconds").collectAsList()) {
            Point point = pointOf.get(row.getString(0));
            int epoch = row.getInt(1);
            if (point == null || epoch > epochs) {
                continue;
            }
            double[][] sum = sums.computeIfAbsent(point, p -> new double[3][epochs]);
            sum[0][epoch - 1] += row.getDouble(2);
            sum[1][epoch - 1] += row.getDouble(3) + row.getDouble(4);
            sum[2][epoch - 1] += 1;
        }
        Map<Point, RecordedExecutor.Curve> table = new LinkedHashMap<>();
        sums.forEach((point, sum) -> {
            double[] values = new double[epochs];
            double[] seconds = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                values[e] = sum[2][e] == 0 ? Double.NaN : sum[0][e] / sum[2][e];
                seconds[e] = sum[2][e] == 0 ? 0 : sum[1][e] / sum[2][e];
            }
            table.put(point, new RecordedExecutor.Curve(values, seconds));
        });
        return table;
    }

    /** Each swept parameter's recorded values, as categorical choices in a stable order. */
    private static SearchSpace space(List<Param> swept, Set<Point> points) {
        List<SearchSpace.Dimension> dimensions = new ArrayList<>();
        for (Param param : swept) {
            List<Object> choices = points.stream().map(p -> p.get(param)).distinct()
                    .sorted(Comparator.comparing(String::valueOf)).toList();
            dimensions.add(new SearchSpace.Categorical(param, new ArrayList<>(choices)));
        }
        return new SearchSpace(dimensions);
    }
}
