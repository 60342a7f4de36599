package io.sparksweep.cli;

import io.sparksweep.bench.MemoryCheck;
import io.sparksweep.bench.PyTorchReference;
import io.sparksweep.bench.SeedModels;
import io.sparksweep.bench.SlotUtilization;
import io.sparksweep.bench.SpeedBenchmark;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DatasetBundle;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetLocator;
import io.sparksweep.data.RawDataset;
import io.sparksweep.spark.ExecutorState;
import io.sparksweep.spark.SparkSessions;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.train.NativeRuntime;
import io.sparksweep.train.TrainLoop;
import io.sparksweep.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench}: training speed of the seed models on one thread, side by side with the PyTorch reference from
 * the same run; optionally slot utilization of a sweep, two CNN trials at once against each alone, and memory
 * flatness of a long trial.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the seed models (seconds per epoch, samples/s, evaluation time) against PyTorch.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "3", description = "epochs per model; medians are reported")
    int epochs;

    @Option(names = "--models", split = ",", description = "models to run (default: all): mlp-784-16-10, "
            + "mlp-784-64-10, mlp-784-128-10, mlp-784-200-10, cnn-8-12-k5, cnn-40-80-k3, cnn-quick-8-16-k3p1")
    List<String> models;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch for the reference (Debian: python3-torch); 'none' skips it")
    String python;

    @Option(names = "--data-dir", defaultValue = "/usr/share/datasets/fashion-mnist", description = "Fashion-MNIST")
    Path dataDir;

    @Option(names = "--utilization", description = "also measure slot utilization of 8 equal trials on local[2]")
    boolean utilization;

    @Option(names = "--concurrent", description = "also time two CNN trials at once on local[2] against each alone")
    boolean concurrent;

    @Option(names = "--memory", description = "also record resident memory over a 20-epoch MLP trial")
    boolean memory;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        NativeRuntime.configure(1);
        DatasetBundle bundle = DatasetLocator.standard(dataDir, false).load(DatasetKind.FASHION_MNIST);
        RawDataset raw = bundle.decode();
        TrainingData data = TrainingData.of(DataPreparer.prepare(raw, DatasetSpec.of(DatasetKind.FASHION_MNIST)));
        List<SeedModels.Model> selected = SeedModels.all(epochs).stream()
                .filter(m -> models == null || models.contains(m.name())).toList();
        System.out.printf("machine: %d cores, %s; Java %s; 1 thread per model, %d epochs each (medians)%n",
                Runtime.getRuntime().availableProcessors(), cpuName(), System.getProperty("java.version"), epochs);

        Map<String, SpeedBenchmark.Timing> torch = Map.of();
        if (!python.equals("none")) {
            Path home = Path.of(System.getenv().getOrDefault("SPARKSWEEP_HOME", "."));
            torch = PyTorchReference.run(python, home.resolve("jobs/benchmark/pytorch_reference.py"), dataDir, epochs,
                    selected.stream().map(SeedModels.Model::name).toList());
        }
        // s/ep is how a sweep trains the model; for models the direct MLP step trains, "fit s/ep" is the same
        // model trained by DL4J's fit, measured in the same run.
        System.out.printf("%-16s %-6s %8s %10s %10s %7s %10s %8s %8s %8s %9s%n", "model", "loop", "s/ep",
                "fit s/ep", "torch s/ep", "ratio", "smp/s", "eval s", "eval/ep", "acc", "torch acc");
        for (SeedModels.Model model : selected) {
            SpeedBenchmark.Timing d = SpeedBenchmark.run(model, data, true);
            SpeedBenchmark.Timing fit = d.loop() == TrainLoop.DIRECT ? SpeedBenchmark.run(model, data, false) : null;
            SpeedBenchmark.Timing t = torch.get(model.name());
            System.out.printf(Locale.ROOT, "%-16s %-6s %8.2f %10s %10s %7s %10.0f %8.3f %7.1f%% %8.4f %9s%n",
                    d.model(), d.loop().key(), d.secondsPerEpoch(),
                    fit == null ? "-" : String.format(Locale.ROOT, "%.2f", fit.secondsPerEpoch()),
                    t == null ? "-" : String.format(Locale.ROOT, "%.2f", t.secondsPerEpoch()),
                    t == null ? "-" : String.format(Locale.ROOT, "%.2fx", d.secondsPerEpoch() / t.secondsPerEpoch()),
                    d.samplesPerSecond(), d.evalSeconds(), 100 * d.evalSeconds() / d.secondsPerEpoch(),
                    d.testAccuracy(), t == null ? "-" : String.format(Locale.ROOT, "%.4f", t.testAccuracy()));
        }
        if (memory) {
            List<Long> rss = MemoryCheck.residentPerEpoch(new SeedModels.Model("mlp-784-128-10 x20",
                    SeedModels.all(20).get(2).config()), data);
            System.out.println("resident MiB after each of 20 epochs (mlp-784-128-10): " + rss);
            System.out.println("growth from epoch 5 to the end: " + MemoryCheck.growthAfter(rss, 5) + " MiB");
        }
        if (utilization || concurrent) {
            ExecutorState.putDecoded(bundle, raw);
        }
        if (utilization) {
            Path out = Files.createTempDirectory("sparksweep-bench");
            // Short trials show the sweep's fixed start-up cost, seed-length ones (seed 001: batch 10, 10 epochs)
            // the steady state; each sweep in its own Spark session and output folder, as a `run` would be.
            int[][] shapes = {{3, 64}, {10, 10}};
            for (int[] shape : shapes) {
                try (SparkSessions.Handle spark = SparkSessions.open("sparksweep bench", "local[2]", false)) {
                    SlotUtilization.Measurement m = SlotUtilization.run(spark.session(), bundle,
                            out.resolve(shape[0] + "x" + shape[1]).toString(), 8, 2, shape[0], shape[1]);
                    System.out.printf(Locale.ROOT, "slot utilization: %d trials (mlp-784-64-10, %d epochs, batch %d)"
                            + " on %d slots, wall %.1f s, trial time %.1f s: %.1f%%%n", m.trials(), shape[0],
                            shape[1], m.slots(), m.wallSeconds(), m.trialSeconds(), 100 * m.utilization());
                }
            }
        }
        if (concurrent) {
            concurrentCnns(bundle);
        }
        return Main.OK;
    }

    /**
     * Each CNN shape twice, one epoch each, first one trial at a time, then both at once, on local[2]: a trial's
     * time together over its time alone is what two trials on two cores cost each other (memory bandwidth, the
     * shared cache).
     */
    private static void concurrentCnns(DatasetBundle bundle) throws IOException {
        Path out = Files.createTempDirectory("sparksweep-bench");
        List<String> names = List.of("cnn-8-12-k5", "cnn-quick-8-16-k3p1");
        for (SeedModels.Model model : SeedModels.all(1)) {
            if (!names.contains(model.name())) {
                continue;
            }
            double[] seconds = new double[2];
            for (int slots = 1; slots <= 2; slots++) {
                try (SparkSessions.Handle spark = SparkSessions.open("sparksweep bench", "local[2]", false)) {
                    seconds[slots - 1] = SlotUtilization.cnnPair(spark.session(), bundle,
                            out.resolve(model.name() + "-" + slots).toString(), slots, model.config())
                            .secondsPerTrial();
                }
            }
            System.out.printf(Locale.ROOT, "two at once: %s, 1 epoch each on local[2]: %.1f s a trial alone, "
                    + "%.1f s each two at once: %.2fx%n", model.name(), seconds[0], seconds[1], seconds[1] / seconds[0]);
        }
    }

    private static String cpuName() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
