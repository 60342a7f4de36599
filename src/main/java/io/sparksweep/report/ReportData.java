package io.sparksweep.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a report shows, already collected from the result tables: small enough to hold on the driver.
 *
 * @param trials every trial of the selected sweeps, best test accuracy first (incomplete trials last)
 * @param curves test accuracy per epoch of the trials whose learning curves are drawn, keyed by trial id
 * @param best the best completed trial's class-level results, or null when no trial completed
 */
public record ReportData(List<String> sweeps, List<Trial> trials, Map<String, List<double[]>> curves, Best best,
        Map<String, List<double[]>> prunedCurves) {

    /** One trial row: its swept parameters as text, in column order, and its results. */
    public record Trial(String sweep, String trialId, String status, String model, Map<String, String> parameters,
            Double testAccuracy, Double macroF1, double trainSeconds, String error) {
        public boolean completed() {
            return "COMPLETED".equals(status);
        }
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
        Map<String, java.util.Set<String>> values = new LinkedHashMap<>();
        for (Trial t : trials) {
            t.parameters().forEach((k, v) -> {
                java.util.Set<String> seen = values.computeIfAbsent(k, x -> new java.util.HashSet<>());
                if (v != null && !v.equals("[]")) {
                    seen.add(v);
                }
            });
        }
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }
}
