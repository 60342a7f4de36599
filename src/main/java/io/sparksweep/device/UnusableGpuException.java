package io.sparksweep.device;

/**
 * A trial was given a GPU the CUDA backend cannot use, and the sweep does not fall back to CPU. Not a trial's
 * failure but the cluster's: the sweep stops with this message instead of recording every trial as failed.
 */
public final class UnusableGpuException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Marks the message so the driver recognises it inside Spark's job-failure text. */
    public static final String MARKER = "[sparksweep: unusable GPU] ";

    static final String ADVICE = ": run on a supported GPU, or with --gpu-fallback cpu to train such trials on CPU";

    /** @param problem what is wrong with which device; the advice on what to do is appended */
    public UnusableGpuException(String problem) {
        super(MARKER + problem + ADVICE);
    }

    /** The message without its marker. */
    public String userMessage() {
        return getMessage().substring(MARKER.length());
    }

    /** The user-facing message if {@code text} (e.g. a Spark job failure) carries one, else null. */
    public static String find(String text) {
        if (text == null) {
            return null;
        }
        int at = text.indexOf(MARKER);
        if (at < 0) {
            return null;
        }
        String rest = text.substring(at + MARKER.length());
        int newline = rest.indexOf('\n');
        return newline < 0 ? rest : rest.substring(0, newline);
    }
}
