package io.sparksweep.spark;

import io.sparksweep.device.GpuFallback;

import java.io.Serializable;
import java.util.List;

/**
 * What every trial's task needs from the command line, shipped with each job. Not carried in Spark properties:
 * a command that runs inside a program with a Spark session already started (a notebook, a test) uses that session,
 * and an existing session's executors never see properties set afterwards.
 *
 * @param gpuFallback what a trial does when its GPU cannot run the CUDA backend
 * @param directStep whether MLPs and CNNs on the CPU backend may train with the direct steps ({@code --train-loop auto})
 * @param localGpus GPU addresses handed to concurrent trials in local mode ({@code --gpus}); empty: none
 */
public record TaskSettings(GpuFallback gpuFallback, boolean directStep, List<String> localGpus)
        implements Serializable {
    public TaskSettings {
        localGpus = List.copyOf(localGpus);
    }

    /** The defaults of {@code run}: stop on an unusable GPU, the direct step where it applies, no local GPUs. */
    public static TaskSettings defaults() {
        return new TaskSettings(GpuFallback.FAIL, true, List.of());
    }
}
