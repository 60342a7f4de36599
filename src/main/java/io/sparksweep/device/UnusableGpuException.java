package io.sparksweep.device;

/**
 * A trial was given a GPU the CUDA backend cannot use, and the sweep does not fall back to CPU. Not a trial's
 * failure but the cluster's: the task hands it back as its outcome and the sweep stops with this message instead
 * of recording every trial as failed.
 */
public final class UnusableGpuException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String ADVICE = ": run on a supported GPU, or with --gpu-fallback cpu to train such trials on CPU";

    /** @param problem what is wrong with which device; the advice on what to do is appended */
    public UnusableGpuException(String problem) {
        super(problem + ADVICE);
    }

    /** What is wrong and what to do, for the user. */
    public String userMessage() {
        return getMessage();
    }
}
