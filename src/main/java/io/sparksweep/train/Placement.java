package io.sparksweep.train;

import java.io.Serializable;

/**
 * Where a trial ran: the ND4J backend and device, the threads it had, the Spark executor and host, and how many
 * times that executor JVM had decoded a shipped dataset when the trial started (1 on an executor that decoded it
 * once for all its trials; 0 in local mode, where the driver's decoded copy is reused).
 */
public record Placement(String backend, String device, int threads, String executorId, String host,
        int datasetDecodes) implements Serializable {
}
