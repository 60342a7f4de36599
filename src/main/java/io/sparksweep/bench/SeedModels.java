package io.sparksweep.bench;

import io.sparksweep.data.DatasetKind;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.BatchSize;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.OptimizerKind;
import io.sparksweep.spec.WeightInitKind;

import java.util.List;

/**
 * The seed experiments' models with their optimizers and batch sizes, named as in
 * {@code jobs/benchmark/pytorch_reference.py}, which trains the same list.
 */
public final class SeedModels {
    public record Model(String name, TrialConfig config) {
    }

    private SeedModels() {
    }

    public static List<Model> all(int epochs) {
        return List.of(
                new Model("mlp-784-16-10", mlp(List.of(16), OptimizerKind.SGD, 0.001, 64, epochs)),
                new Model("mlp-784-64-10", mlp(List.of(64), OptimizerKind.SGD, 0.1, 10, epochs)),
                new Model("mlp-784-128-10", mlp(List.of(128), OptimizerKind.SGD, 0.01, 100, epochs)),
                new Model("mlp-784-200-10", mlp(List.of(200), OptimizerKind.ADAM, 0.001, 1000, epochs)),
                new Model("cnn-8-12-k5", cnn(List.of(8, 12), List.of(5, 5), List.of(0, 2), 256, 0.001, 1000, epochs)),
                new Model("cnn-40-80-k3", cnn(List.of(40, 80), List.of(3, 3), List.of(1, 0), 800, 0.001, 1000, epochs)),
                // conf/sweeps/quick.yaml's CNN: small batches, where the per-step overhead around the arithmetic shows
                new Model("cnn-quick-8-16-k3p1", cnn(List.of(8, 16), List.of(3, 3), List.of(1, 1), 128, 0.003, 128,
                        epochs)));
    }

    static TrialConfig mlp(List<Integer> hidden, OptimizerKind optimizer, double lr, int batch, int epochs) {
        return new TrialConfig(ModelFamily.MLP, hidden, ActivationKind.RELU, List.of(), List.of(), List.of(),
                optimizer, 0, lr, new BatchSize(batch), epochs, WeightInitKind.TORCH, 1,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
    }

    static TrialConfig cnn(List<Integer> channels, List<Integer> kernels, List<Integer> padding, int hidden,
            double lr, int batch, int epochs) {
        return new TrialConfig(ModelFamily.CNN, List.of(hidden), ActivationKind.RELU, channels, kernels, padding,
                OptimizerKind.ADAM, 0, lr, new BatchSize(batch), epochs, WeightInitKind.TORCH, 1,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
    }
}
