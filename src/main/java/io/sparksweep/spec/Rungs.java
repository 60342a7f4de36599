package io.sparksweep.spec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The epochs at which successive halving compares trials: {@code minEpochs * eta^k} below {@code maxEpochs}, then
 * {@code maxEpochs} itself, where a surviving trial completes. E.g. min 1, eta 3, max 20: rungs at 1, 3 and 9
 * epochs, completion at 20.
 */
public record Rungs(int minEpochs, int maxEpochs, int eta) implements Serializable {
    public Rungs {
        if (minEpochs < 1 || maxEpochs < minEpochs || eta < 2) {
            throw new IllegalArgumentException("need 1 <= min_epochs <= max_epochs and eta >= 2");
        }
    }

    /** The decision points, in epochs, ascending; the last one below {@code maxEpochs}. */
    public List<Integer> epochs() {
        List<Integer> rungs = new ArrayList<>();
        for (long e = minEpochs; e < maxEpochs; e *= eta) {
            rungs.add((int) e);
        }
        return rungs;
    }

    /** The epoch a trial trains to after {@code trainedEpochs}: the next rung, or {@code maxEpochs}. */
    public int next(int trainedEpochs) {
        for (int rung : epochs()) {
            if (rung > trainedEpochs) {
                return rung;
            }
        }
        return maxEpochs;
    }

    /** The rung index of {@code epoch} (0 for the first), or -1 when it is not a rung. */
    public int indexOf(int epoch) {
        return epochs().indexOf(epoch);
    }
}
