package io.sparksweep.bench;

import io.sparksweep.data.DataShipment;
import io.sparksweep.grid.GridExpander;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.SweepRun;
import io.sparksweep.spark.SweepListener;
import io.sparksweep.spark.LoopRunner;
import io.sparksweep.spark.SparkSessions;
import io.sparksweep.spark.TaskSettings;
import io.sparksweep.spark.Tally;
import io.sparksweep.spec.SweepFileLoader;
import io.sparksweep.spec.SweepSpec;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

/**
 * How busy a sweep keeps its slots: the trials' own time (from building the network to the end of the last
 * evaluation, on the executor) divided by slots x the sweep's wall time. Scheduling, task launch and result
 * writes are what it leaves out. The same measurement shows what trials sharing a machine cost each other: a
 * trial's time with as many slots as cores against its time alone.
 */
public final class SlotUtilization {
    public record Measurement(int trials, int slots, double wallSeconds, double trialSeconds) {
        public double utilization() {
            return trialSeconds / (slots * wallSeconds);
        }

        public double secondsPerTrial() {
            return trialSeconds / trials;
        }
    }

    private SlotUtilization() {
    }

    /**
     * Runs {@code trials} equal MLP 784-64-10 trials (SGD, different learning rates) on full Fashion-MNIST, each
     * {@code epochs} epochs at {@code batchSize}, as {@code run} would (the sweep's row is written first).
     */
    public static Measurement run(SparkSession spark, DataShipment dataset, String output, int trials, int slots,
            int epochs, int batchSize) {
        return run(spark, dataset, output, slots, """
                name: slot-utilization
                dataset: fashion-mnist
                parameters: {model: mlp, hidden_layers: [[64]], optimizer: sgd, batch_size: %d, epochs: %d,
                             learning_rate: [%s]}
                """.formatted(batchSize, epochs, rates(trials, 0.01)));
    }

    /**
     * Two trials of {@code cnn}'s shape and settings (seeds 1 and 2), one epoch each on full Fashion-MNIST, on
     * {@code slots} slots: with one, each trains alone; with two, both at once, sharing the cores' memory bandwidth.
     */
    public static Measurement cnnPair(SparkSession spark, DataShipment dataset, String output, int slots,
            TrialConfig cnn) {
        return run(spark, dataset, output, slots, """
                name: cnn-pair
                dataset: fashion-mnist
                seeds: [1, 2]
                parameters: {model: cnn, conv_channels: [%s], kernel_size: [%s], padding: [%s], hidden_layers: [%s],
                             activation: %s, optimizer: %s, learning_rate: %s, batch_size: %s, weight_init: %s,
                             epochs: 1}
                """.formatted(cnn.convChannels(), cnn.kernelSizes(), cnn.padding(), cnn.hiddenLayers(),
                cnn.activation().key(), cnn.optimizer().key(), cnn.learningRate(), cnn.batchSize(),
                cnn.weightInit().key()));
    }

    private static String rates(int trials, double step) {
        StringBuilder rates = new StringBuilder();
        for (int i = 1; i <= trials; i++) {
            rates.append(i == 1 ? "" : ", ").append(step * i);
        }
        return rates.toString();
    }

    private static Measurement run(SparkSession spark, DataShipment dataset, String output, int slots, String yaml) {
        SweepSpec spec = SweepFileLoader.parse("bench", yaml);
        List<TrialConfig> planned = GridExpander.expand(spec);
        // a measurement: never resumed
        SweepRun run = SweepRun.start(spec, SparkSessions.master(spark.sparkContext()), null, null, null);
        ResultStore store = new ResultStore(spark, output);
        store.writeSweep(run, planned.size(), null, "bench", null);
        long start = System.nanoTime();
        Tally finished = new LoopRunner(spark, store, slots, TaskSettings.defaults())
                .run(run, dataset, Map.of(), Map.of(), new SweepListener() { }).finished();
        double wall = (System.nanoTime() - start) / 1e9;
        return new Measurement(finished.total(), slots, wall, finished.busySeconds());
    }
}
