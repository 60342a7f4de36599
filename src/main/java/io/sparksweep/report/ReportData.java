package io.sparksweep.report;

import io.sparksweep.results.ParameterImportance;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a report shows, already collected from the result tables: small enough to hold on the driver.
 *
 * @param trials every trial the selected sweeps searched, best by its sweep's metric first (incomplete trials last)
 * @param curves the accuracy trials are measured on after each epoch (validation images where the sweep holds
 *        some out, else the test set) of the trials whose learning curves are drawn, keyed by trial id
 * @param best the best completed trial's class-level results, or null when no trial completed
 * @param configs the configurations (trials that differ only in seed), best mean first
 * @param refits the winners retrained on every training image ({@code refit: true})
 * @param importance per sweep, which swept parameters mattered for its metric, largest first
 */
public record ReportData(List<String> sweeps, List<Trial> trials, Map<String, List<double[]>> curves, Best best,
        Map<String, List<double[]>> prunedCurves, List<Config> configs, List<Trial> refits,
        Map<String, List<ParameterImportance.Importance>> importance) {

    /**
     * One trial row: its swept parameters as text, in column order, and its results; {@code metric} is the name of
     * its sweep's metric (what chose), {@code metricValue} the trial's value of it.
     */
    public record Trial(String sweep, String trialId, String status, String model, Map<String, String> parameters,
            String metric, Double metricValue, Double testAccuracy, Double macroF1, double trainSeconds,
            String error, String refitOf) {
        public boolean completed() {
            return "COMPLETED".equals(status);
        }

        /** The sweep chose on something other than the test set. */
        public boolean heldOut() {
            return !metric.startsWith("test_") && !metric.equals("macro_f1");
        }
    }

    /** A configuration of the {@code configs} view, and whether its interval overlaps the winner's. */
    public record Config(String sweep, String configId, Map<String, String> parameters, String metric, long n,
            double mean, Double low, Double high, Double testMean, boolean overlapsWinner) {
    }

    /** The best trial's confusion matrix (rows actual, columns predicted) and per-class F1. */
    public record Best(String trialId, List<String> classNames, long[][] confusion, double[] f1) {
    }

    /** A trial's id and the values of the swept parameters, e.g. {@code 9a6d6da1 cnn [256] lr=0.003}. */
    public String describe(String trialId) {
        List<String> swept = sweptParameters();
        Trial trial = trials.stream().filter(t -> t.trialId().equals(trialId)).findFirst().orElseThrow();
        StringBuilder sb = new StringBuilder(trialId.substring(0, Math.min(8, trialId.length())));
        for (String p : swept) {
            String value = trial.parameters().get(p);
            if (value != null && !value.equals("[]")) {
                sb.append(' ').append(p.equals("model") ? "" : p + "=").append(value);
            }
        }
        return sb.length() > 90 ? sb.substring(0, 87) + "..." : sb.toString();
    }

    /**
     * The parameters that take more than one value across the trials, in column order. "[]" (a CNN parameter of
     * an MLP) does not count as a value: the model column already tells MLPs from CNNs.
     */
    public List<String> sweptParameters() {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (Trial t : trials) {
            t.parameters().forEach((k, v) -> {
                Set<String> seen = values.computeIfAbsent(k, x -> new HashSet<>());
                if (v != null && !v.equals("[]")) {
                    seen.add(v);
                }
            });
        }
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }
}
