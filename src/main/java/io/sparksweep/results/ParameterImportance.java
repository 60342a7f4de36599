package io.sparksweep.results;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressor;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which swept parameters mattered for the sweep's metric: the feature importances of an MLlib random forest fitted
 * to the configurations (each configuration's mean over its seeds, as in the {@code configs} view), one feature
 * per parameter that takes more than one value. Numbers are features as they are (the learning rate on a log
 * scale, where it is swept); everything else (optimizer, layer lists) is a category. Importances sum to 1; with
 * fewer than {@link #MIN_CONFIGURATIONS} configurations there is nothing to learn from and none are given.
 */
public final class ParameterImportance {
    /** One parameter's share of the forest's importance, for one sweep. */
    public record Importance(String parameter, double importance, int configurations) {
    }

    static final int MIN_CONFIGURATIONS = 4;
    private static final Set<String> NUMERIC = Set.of("momentum", "learning_rate", "batch_size", "epochs");
    private static final int TREES = 100;
    private static final long SEED = 7;

    private ParameterImportance() {
    }

    /**
     * The importances for {@code sweepId}, largest first, over the {@code configs} view registered in
     * {@code spark}; empty when fewer than {@link #MIN_CONFIGURATIONS} configurations finished or none differ.
     */
    public static List<Importance> of(SparkSession spark, String sweepId) {
        Dataset<Row> view = spark.table(ConfigsView.NAME).where(functions.col("sweep_id").equalTo(sweepId)
                .and(functions.col("metric_mean").isNotNull()));
        // read once (the view reads the trials table and groups it): the forest passes over its rows once per
        // tree level
        List<Row> rows = view.collectAsList();
        int n = rows.size();
        if (n < MIN_CONFIGURATIONS) {
            return List.of();
        }
        Dataset<Row> configs = spark.createDataFrame(rows, view.schema());
        List<String> swept = swept(configs);
        if (swept.isEmpty()) {
            return List.of();
        }
        Dataset<Row> features = configs.select(columns(swept));
        List<PipelineStage> stages = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        int categories = 2;
        for (String p : swept) {
            if (NUMERIC.contains(p)) {
                inputs.add(p);
            } else {
                stages.add(new StringIndexer().setInputCol(p).setOutputCol(p + "_index"));
                inputs.add(p + "_index");
                categories = (int) Math.max(categories, features.select(p).distinct().count());
            }
        }
        stages.add(new VectorAssembler().setInputCols(inputs.toArray(String[]::new)).setOutputCol("features"));
        stages.add(new RandomForestRegressor().setLabelCol("label").setFeaturesCol("features").setNumTrees(TREES)
                .setMaxBins(Math.max(categories, (int) Math.min(32, n))).setSeed(SEED).setFeatureSubsetStrategy("all"));
        PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(features);
        double[] weights = ((RandomForestRegressionModel) model.stages()[stages.size() - 1]).featureImportances()
                .toArray();
        List<Importance> out = new ArrayList<>();
        for (int i = 0; i < swept.size(); i++) {
            out.add(new Importance(swept.get(i), weights[i], n));
        }
        out.sort(Comparator.comparingDouble(Importance::importance).reversed());
        return out;
    }

    /**
     * The parameters with more than one value among the configurations, in the view's order. An empty list (a CNN
     * parameter of an MLP) is not a value: the model already tells them apart.
     */
    private static List<String> swept(Dataset<Row> configs) {
        List<String> swept = new ArrayList<>();
        Row distinct = configs.select(ConfigsView.PARAMETERS.stream()
                .map(p -> functions.countDistinct(functions.when(functions.col(p).cast("string").notEqual("[]"),
                        functions.col(p).cast("string"))).alias(p))
                .toArray(Column[]::new)).first();
        for (String p : ConfigsView.PARAMETERS) {
            if (distinct.getLong(distinct.fieldIndex(p)) > 1) {
                swept.add(p);
            }
        }
        return swept;
    }

    private static Column[] columns(List<String> swept) {
        List<Column> columns = new ArrayList<>();
        for (String p : swept) {
            Column c = functions.col(p);
            columns.add((p.equals("learning_rate") ? functions.log10(c)
                    : NUMERIC.contains(p) ? c.cast("double") : c.cast("string")).alias(p));
        }
        columns.add(functions.col("metric_mean").alias("label"));
        return columns.toArray(Column[]::new);
    }
}
