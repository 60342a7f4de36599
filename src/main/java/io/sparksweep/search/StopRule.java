package io.sparksweep.search;

import java.io.Serializable;
import java.util.List;

/**
 * Decides, after each epoch of a stretch, whether the trial stops there: applied where the trial trains (inside
 * its Spark task, epoch by epoch), with what the scheduler knew when the stretch was submitted.
 */
public interface StopRule extends Serializable {
    /**
     * @param scores the trial's scores so far ({@code scores.get(e - 1)} for epoch e; higher is better)
     * @return why it stops after the last of them, or null to go on
     */
    String stopAfter(List<Double> scores);
}
