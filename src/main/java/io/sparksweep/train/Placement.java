package io.sparksweep.train;

import java.io.Serializable;

/**
 * Where a trial ran: the ND4J backend and device, the GPU address Spark assigned to its task (null without GPU
 * scheduling; with the CPU backend the trial still trains on CPU), the threads it had, the Spark executor and
 * host, and how many
 * times that executor JVM had decoded a shipped dataset when the trial started (1 on an executor that decoded it
 * once for all its trials; 0 in local mode, where the driver's decoded copy is reused).
 */
public record Placement(String backend, String device, String gpuAddress, int threads, String executorId,
        String host, int datasetDecodes) implements Serializable {
}
