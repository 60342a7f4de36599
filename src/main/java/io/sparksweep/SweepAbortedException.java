package io.sparksweep;

/**
 * The sweep cannot go on for a reason outside any one trial (e.g. the cluster's GPUs cannot run the backend). The
 * CLI prints the message as one line and exits with code 1; trials finished before it keep their rows.
 */
public class SweepAbortedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SweepAbortedException(String message) {
        super(message);
    }
}
