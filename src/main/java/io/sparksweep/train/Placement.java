package io.sparksweep.train;

import java.io.Serializable;

/** Where a trial ran: the ND4J backend and device, the threads it had, and the Spark executor and host. */
public record Placement(String backend, String device, int threads, String executorId, String host)
        implements Serializable {
}
