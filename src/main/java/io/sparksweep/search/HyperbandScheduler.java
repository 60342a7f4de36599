package io.sparksweep.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Hyperband as Optuna's HyperbandPruner runs it: several ASHA brackets, bracket s starting its trials at
 * {@code minEpochs * eta^s} epochs, so that some brackets prune aggressively and others give slow starters room.
 * A point belongs to one bracket, chosen by a hash of the point weighted by how many trials Hyperband gives each
 * bracket ({@code ceil((S + 1) / (s + 1)) * eta^(S - s)}); trials compete only within their bracket.
 */
public final class HyperbandScheduler implements Scheduler {
    private final List<AshaScheduler> brackets = new ArrayList<>();
    private final long[] cumulativeWeights;

    public HyperbandScheduler(int minEpochs, int maxEpochs, int eta) {
        int s = AshaScheduler.rungs(minEpochs, maxEpochs, eta).size() - 1; // the deepest bracket's index
        int count = Math.max(1, s + 1);
        cumulativeWeights = new long[count];
        long total = 0;
        for (int b = 0; b < count; b++) {
            int bracket = b;
            long start = (long) minEpochs * (long) Math.pow(eta, b);
            brackets.add(new AshaScheduler((int) Math.min(start, maxEpochs), maxEpochs, eta,
                    t -> bracketOf(t.point()) == bracket));
            total += (long) Math.ceil((double) count / (b + 1)) * (long) Math.pow(eta, count - 1 - b);
            cumulativeWeights[b] = total;
        }
    }

    /** The bracket of a point: a hash of its values, spread by the brackets' weights. */
    int bracketOf(Point point) {
        long total = cumulativeWeights[cumulativeWeights.length - 1];
        long h = Integer.toUnsignedLong(point.toString().hashCode() * 0x9E3779B9) % total;
        for (int b = 0; b < cumulativeWeights.length; b++) {
            if (h < cumulativeWeights[b]) {
                return b;
            }
        }
        return cumulativeWeights.length - 1;
    }

    public int brackets() {
        return brackets.size();
    }

    @Override
    public Stretch next(FrozenTrial trial, History history) {
        return brackets.get(bracketOf(trial.point())).next(trial, history);
    }

    @Override
    public Decision decide(FrozenTrial trial, History history) {
        return brackets.get(bracketOf(trial.point())).decide(trial, history);
    }
}
