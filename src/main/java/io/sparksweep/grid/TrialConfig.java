package io.sparksweep.grid;

import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.BatchSize;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.OptimizerKind;
import io.sparksweep.spec.WeightInitKind;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One fully resolved trial: every hyperparameter, the data and the seed. Parameters that mean nothing for the
 * model are empty (an MLP has no kernel sizes; momentum is 0 unless the optimizer is {@code momentum}), so two
 * grid points that train the same network are the same trial.
 *
 * @param kernelSizes one per conv layer
 * @param padding one per conv layer
 */
public record TrialConfig(ModelFamily model, List<Integer> hiddenLayers, ActivationKind activation,
        List<Integer> convChannels, List<Integer> kernelSizes, List<Integer> padding, OptimizerKind optimizer,
        double momentum, double learningRate, BatchSize batchSize, int epochs, WeightInitKind weightInit, long seed,
        DatasetSpec dataset) implements Serializable {

    public TrialConfig {
        hiddenLayers = List.copyOf(hiddenLayers);
        convChannels = List.copyOf(convChannels);
        kernelSizes = List.copyOf(kernelSizes);
        padding = List.copyOf(padding);
    }

    /**
     * Every field in a fixed order and format. The trial id hashes this, so its format must never change for
     * existing fields: new fields are appended only when they differ from their default.
     */
    public String canonical() {
        return "model=" + model.key()
                + ";hidden_layers=" + hiddenLayers
                + ";activation=" + activation.key()
                + ";conv_channels=" + convChannels
                + ";kernel_size=" + kernelSizes
                + ";padding=" + padding
                + ";optimizer=" + optimizer.key()
                + ";momentum=" + number(momentum)
                + ";learning_rate=" + number(learningRate)
                + ";batch_size=" + batchSize
                + ";epochs=" + epochs
                + ";weight_init=" + weightInit.key()
                + ";seed=" + seed
                + ";dataset=" + dataset.canonical();
    }

    /** A stable id: the same parameters, data and seed give the same id in every run and on every machine. */
    public String trialId() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short description for logs and the Spark UI, e.g. {@code mlp [64] sgd lr=0.1 bs=10 ep=10 seed=1}. */
    public String label() {
        StringBuilder sb = new StringBuilder(model.key());
        if (model == ModelFamily.CNN) {
            sb.append(" conv=").append(convChannels).append(" k=").append(kernelSizes);
            if (padding.stream().anyMatch(p -> p != 0)) {
                sb.append(" pad=").append(padding);
            }
        }
        sb.append(" hidden=").append(hiddenLayers).append(' ').append(optimizer.key())
                .append(" lr=").append(number(learningRate)).append(" bs=").append(batchSize)
                .append(" ep=").append(epochs).append(" seed=").append(seed);
        return sb.toString();
    }

    /** The same trial trained for a different number of epochs. */
    public TrialConfig withEpochs(int newEpochs) {
        return new TrialConfig(model, hiddenLayers, activation, convChannels, kernelSizes, padding, optimizer,
                momentum, learningRate, batchSize, newEpochs, weightInit, seed, dataset);
    }

    private static String number(double value) {
        // Locale-independent and shortest round-trip form, so 0.001 is "0.001" everywhere.
        return Double.toString(value).toLowerCase(Locale.ROOT);
    }
}
