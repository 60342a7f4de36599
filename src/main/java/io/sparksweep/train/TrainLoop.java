package io.sparksweep.train;

import java.util.Locale;

/**
 * Which code computes a trial's training steps, recorded with every trial. {@code DIRECT}: SparkSweep's own steps
 * on the CPU backend ({@link MlpStep} for MLPs, {@link CnnStep} for CNNs), several times faster than DL4J's
 * {@code fit} and the same computation (results agree up to float rounding); {@code DL4J}:
 * {@code MultiLayerNetwork.fit}, on GPUs and whenever the direct steps are turned off ({@code run --train-loop dl4j}).
 */
public enum TrainLoop {
    DIRECT, DL4J;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the choice a user makes: {@code auto} (the direct step wherever it applies) or {@code dl4j}; returns
     * whether the direct step is allowed.
     */
    public static boolean directAllowed(String choice) {
        return switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> true;
            case "dl4j" -> false;
            default -> throw new IllegalArgumentException("train loop must be auto or dl4j, got '" + choice + "'");
        };
    }
}
