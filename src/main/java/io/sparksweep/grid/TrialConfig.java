package io.sparksweep.grid;

import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.BatchSize;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.OptimizerKind;
import io.sparksweep.spec.Param;
import io.sparksweep.spec.WeightInitKind;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * The configuration without its seed: trials that differ only in {@code seed} share it, and the {@code configs}
     * view puts them together.
     */
    public String configId() {
        try {
            String unseeded = canonical().replace(";seed=" + seed + ";", ";");
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(unseeded.getBytes(StandardCharsets.UTF_8));
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

    /**
     * The trial a {@link #canonical()} text describes, on {@code dataset} (the text's dataset part is not read back:
     * a caller checks the result's {@link #trialId()} against the stored one), or empty when the text is not one.
     */
    public static Optional<TrialConfig> parse(String canonical, DatasetSpec dataset) {
        Map<String, String> fields = new HashMap<>();
        for (String field : canonical.split(";")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        try {
            String batch = fields.get("batch_size");
            return Optional.of(new TrialConfig(key(ModelFamily.class, fields.get("model")),
                    ints(fields.get("hidden_layers")), key(ActivationKind.class, fields.get("activation")),
                    ints(fields.get("conv_channels")), ints(fields.get("kernel_size")), ints(fields.get("padding")),
                    key(OptimizerKind.class, fields.get("optimizer")), Double.parseDouble(fields.get("momentum")),
                    Double.parseDouble(fields.get("learning_rate")),
                    batch.equals("full") ? BatchSize.FULL : new BatchSize(Integer.parseInt(batch)),
                    Integer.parseInt(fields.get("epochs")), key(WeightInitKind.class, fields.get("weight_init")),
                    Long.parseLong(fields.get("seed")), dataset));
        } catch (RuntimeException e) { // a missing field, or one of another format: not a trial of this release
            return Optional.empty();
        }
    }

    /**
     * This trial's value of a parameter, as a sweep file's parameter would hold it (empty lists for what does not
     * apply to the model).
     */
    public Object value(Param param) {
        return switch (param) {
            case MODEL -> model;
            case HIDDEN_LAYERS -> hiddenLayers;
            case ACTIVATION -> activation;
            case CONV_CHANNELS -> convChannels;
            case KERNEL_SIZE -> kernelSizes;
            case PADDING -> padding;
            case OPTIMIZER -> optimizer;
            case MOMENTUM -> momentum;
            case LEARNING_RATE -> learningRate;
            case BATCH_SIZE -> batchSize;
            case EPOCHS -> epochs;
            case WEIGHT_INIT -> weightInit;
        };
    }

    private static <E extends Enum<E>> E key(Class<E> type, String key) {
        return Enum.valueOf(type, key.toUpperCase(Locale.ROOT));
    }

    private static List<Integer> ints(String list) {
        String inside = list.substring(1, list.length() - 1).trim();
        return inside.isEmpty() ? List.of() : Arrays.stream(inside.split(",")).map(String::trim)
                .map(Integer::valueOf).toList();
    }

    /** The same trial trained for a different number of epochs. */
    public TrialConfig withEpochs(int newEpochs) {
        return new TrialConfig(model, hiddenLayers, activation, convChannels, kernelSizes, padding, optimizer,
                momentum, learningRate, batchSize, newEpochs, weightInit, seed, dataset);
    }

    /** The same trial on other data (a refit: the sweep's data without its validation split). */
    public TrialConfig withDataset(DatasetSpec other) {
        return new TrialConfig(model, hiddenLayers, activation, convChannels, kernelSizes, padding, optimizer,
                momentum, learningRate, batchSize, epochs, weightInit, seed, other);
    }

    private static String number(double value) {
        // Locale-independent and shortest round-trip form, so 0.001 is "0.001" everywhere.
        return Double.toString(value).toLowerCase(Locale.ROOT);
    }
}
