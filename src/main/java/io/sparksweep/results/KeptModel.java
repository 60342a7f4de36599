package io.sparksweep.results;

import java.time.Instant;

/**
 * A trained network a sweep kept: a row of the {@code models} table, naming its file under the output.
 *
 * @param refitOf the winner a refit retrained (null for a trial of the search)
 * @param path the model file, on the output's file system
 * @param metricValue the trial's value of the sweep's metric, which ranks the kept models
 */
public record KeptModel(String trialId, String refitOf, String path, long bytes, String sha256, Double metricValue,
        Double testAccuracy, Instant savedAt) {
}
