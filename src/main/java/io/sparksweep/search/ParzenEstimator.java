package io.sparksweep.search;

import org.apache.commons.math3.special.Erf;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A multivariate Parzen estimator over a search space, as Optuna's {@code _ParzenEstimator} with
 * {@code multivariate=True}: one component per observation plus a prior component, each the product of a
 * truncated Gaussian per numeric dimension (bandwidth by Scott's rule, {@code 0.2 n^(-1/(d+4))} of the range,
 * clipped) and a smoothed one-hot distribution per categorical one. Observations come in internal coordinates:
 * numbers on the dimension's internal scale, categories as their index.
 */
final class ParzenEstimator {
    static final double PRIOR_WEIGHT = 1.0;
    private static final double SIGMA0_MAGNITUDE = 0.2;
    private static final double SQRT2 = Math.sqrt(2);

    private final SearchSpace space;
    /** Component weights, normalised; the last is the prior's. */
    private final double[] weights;
    /** Per dimension, per component: the Gaussian's mean and width (numeric) or category probabilities. */
    private final double[][] mus;
    private final double[][] sigmas;
    private final double[][][] categoryProbabilities;

    /**
     * @param observations one row per observation (in the order they were made), one column per dimension
     * @param observationWeights their weights before the prior is added (see {@link #defaultWeights})
     */
    ParzenEstimator(SearchSpace space, List<double[]> observations, double[] observationWeights) {
        this.space = space;
        int n = observations.size();
        int dims = space.dimensions().size();
        this.weights = new double[n + 1];
        double total = PRIOR_WEIGHT;
        for (int i = 0; i < n; i++) {
            weights[i] = observationWeights[i];
            total += weights[i];
        }
        weights[n] = PRIOR_WEIGHT;
        for (int i = 0; i <= n; i++) {
            weights[i] /= total;
        }
        double sigma0 = SIGMA0_MAGNITUDE * Math.pow(Math.max(n, 1), -1.0 / (dims + 4));
        this.mus = new double[dims][];
        this.sigmas = new double[dims][];
        this.categoryProbabilities = new double[dims][][];
        for (int d = 0; d < dims; d++) {
            if (space.dimensions().get(d) instanceof SearchSpace.Numeric numeric) {
                numericComponents(d, numeric, observations, sigma0);
            } else {
                categoricalComponents(d, (SearchSpace.Categorical) space.dimensions().get(d), observations);
            }
        }
    }

    private void numericComponents(int d, SearchSpace.Numeric numeric, List<double[]> observations, double sigma0) {
        int n = observations.size();
        double low = numeric.internalLow();
        double high = numeric.internalHigh();
        double range = high - low;
        mus[d] = new double[n + 1];
        sigmas[d] = new double[n + 1];
        // Optuna's "magic clip": no narrower than the range over the number of components (at most 100)
        double minSigma = range / Math.min(100.0, 1.0 + (n + 1));
        for (int i = 0; i < n; i++) {
            mus[d][i] = observations.get(i)[d];
            sigmas[d][i] = Math.max(minSigma, Math.min(range, sigma0 * range));
        }
        mus[d][n] = 0.5 * (low + high);
        sigmas[d][n] = range;
    }

    private void categoricalComponents(int d, SearchSpace.Categorical categorical, List<double[]> observations) {
        int n = observations.size();
        int k = categorical.choices().size();
        categoryProbabilities[d] = new double[n + 1][k];
        double fill = PRIOR_WEIGHT / (n + 1);
        for (int i = 0; i <= n; i++) {
            double rowTotal = fill * k;
            Arrays.fill(categoryProbabilities[d][i], fill);
            if (i < n) {
                categoryProbabilities[d][i][(int) observations.get(i)[d]] += 1;
                rowTotal += 1;
            }
            for (int c = 0; c < k; c++) {
                categoryProbabilities[d][i][c] /= rowTotal;
            }
        }
    }

    /** Optuna's default: equal weights up to 25 observations, then the oldest ramp down towards 1 / n. */
    static double[] defaultWeights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) {
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        }
        Arrays.fill(w, ramp, n, 1.0);
        return w;
    }

    /** A point drawn from the mixture, in internal coordinates. */
    double[] sample(Random random) {
        int component = pick(weights, random.nextDouble());
        int dims = space.dimensions().size();
        double[] x = new double[dims];
        for (int d = 0; d < dims; d++) {
            if (space.dimensions().get(d) instanceof SearchSpace.Numeric numeric) {
                x[d] = truncatedNormal(random, mus[d][component], sigmas[d][component], numeric.internalLow(),
                        numeric.internalHigh());
                if (numeric.integer() && !numeric.log()) {
                    x[d] = Math.max(numeric.low(), Math.min(numeric.high(), Math.round(x[d])));
                }
            } else {
                x[d] = pick(categoryProbabilities[d][component], random.nextDouble());
            }
        }
        return x;
    }

    /** The log density of the mixture at {@code x} (internal coordinates). */
    double logPdf(double[] x) {
        int components = weights.length;
        double[] logs = new double[components];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < components; i++) {
            double log = Math.log(weights[i]);
            for (int d = 0; d < x.length; d++) {
                log += componentLogPdf(d, i, x[d]);
            }
            logs[i] = log;
            max = Math.max(max, log);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double log : logs) {
            sum += Math.exp(log - max);
        }
        return max + Math.log(sum);
    }

    private double componentLogPdf(int d, int component, double value) {
        if (!(space.dimensions().get(d) instanceof SearchSpace.Numeric numeric)) {
            return Math.log(categoryProbabilities[d][component][(int) value]);
        }
        double mu = mus[d][component];
        double sigma = sigmas[d][component];
        double low = numeric.internalLow();
        double high = numeric.internalHigh();
        double accept = mass((low - mu) / sigma, (high - mu) / sigma);
        if (numeric.integer() && !numeric.log()) { // the mass of the unit cell around the whole number
            double from = Math.max(value - 0.5, low);
            double to = Math.min(value + 0.5, high);
            return Math.log(mass((from - mu) / sigma, (to - mu) / sigma)) - Math.log(accept);
        }
        double z = (value - mu) / sigma;
        return -0.5 * z * z - Math.log(sigma * Math.sqrt(2 * Math.PI)) - Math.log(accept);
    }

    /** P(a <= Z <= b) for a standard normal Z. */
    static double mass(double a, double b) {
        return Math.max(0.5 * Erf.erf(a / SQRT2, b / SQRT2), Double.MIN_NORMAL);
    }

    private static double truncatedNormal(Random random, double mu, double sigma, double low, double high) {
        double a = Erf.erf((low - mu) / sigma / SQRT2);
        double b = Erf.erf((high - mu) / sigma / SQRT2);
        double u = a + (b - a) * random.nextDouble();
        double x = mu + sigma * SQRT2 * Erf.erfInv(u);
        return Math.max(low, Math.min(high, Double.isFinite(x) ? x : mu));
    }

    private static int pick(double[] probabilities, double u) {
        double cumulative = 0;
        for (int i = 0; i < probabilities.length; i++) {
            cumulative += probabilities[i];
            if (u < cumulative) {
                return i;
            }
        }
        return probabilities.length - 1;
    }
}
