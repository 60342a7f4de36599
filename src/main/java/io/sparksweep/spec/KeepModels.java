package io.sparksweep.spec;

/**
 * {@code keep_models}: which trained networks a sweep writes beside its results. The best {@code top} trials by the
 * sweep's metric keep theirs ({@link #ALL_TRIALS}: every trial that has a value; 0: none), and {@code refit} says
 * whether the refit of the winner keeps its network too.
 *
 * @param top how many of the best trials keep their networks
 * @param refit whether a refit (with {@code refit: true}) keeps its network
 */
public record KeepModels(int top, boolean refit) {
    public static final int ALL_TRIALS = Integer.MAX_VALUE;
    /** The default: the winner's network, and the refit's when there is one. */
    public static final KeepModels BEST = new KeepModels(1, true);
    public static final KeepModels NONE = new KeepModels(0, false);
    /** Under folds: a trial is one network per fold, so only a refit has a network that stands for it. */
    public static final KeepModels REFIT_ONLY = new KeepModels(0, true);

    public KeepModels {
        if (top < 0) {
            throw new IllegalArgumentException("top must be >= 0");
        }
    }

    /** What is kept, in words, for the {@code sweeps} table and the summary; {@code refits}: the sweep refits. */
    public String describe(boolean refits) {
        boolean refitKept = refit && refits;
        if (top == 0) {
            return refitKept ? "the refit" : "none";
        }
        String trials = top == ALL_TRIALS ? "all" : "top " + top;
        return trials + (refitKept ? " and the refit" : "");
    }
}
