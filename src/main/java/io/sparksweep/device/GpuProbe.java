package io.sparksweep.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks {@code nvidia-smi} which GPUs this machine has and their compute capability, without loading CUDA into the
 * JVM: a device ND4J has no kernels for must be recognised before ND4J touches it. The command can be replaced with
 * {@code $SPARKSWEEP_NVIDIA_SMI} (or the {@code sparksweep.nvidiaSmi} property), e.g. for a wrapper on odd installs.
 */
public final class GpuProbe {
    static final String COMMAND_ENV = "SPARKSWEEP_NVIDIA_SMI";
    static final String COMMAND_PROPERTY = "sparksweep.nvidiaSmi";

    /** One GPU as nvidia-smi reports it; capability empty when the driver could not say. */
    public record GpuInfo(String address, String name, Optional<GpuSupport.Capability> capability) {
    }

    private GpuProbe() {
    }

    /** The GPUs by address (index); empty when nvidia-smi is missing or fails, i.e. no usable CUDA driver. */
    public static Map<String, GpuInfo> probe() {
        String command = System.getProperty(COMMAND_PROPERTY, System.getenv().getOrDefault(COMMAND_ENV, "nvidia-smi"));
        try {
            Process process = new ProcessBuilder(command, "--query-gpu=index,name,compute_cap",
                    "--format=csv,noheader,nounits").redirectErrorStream(false).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Map.of();
            }
            return parse(output);
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** Parses lines such as {@code 0, NVIDIA A100-SXM4-40GB, 8.0}. */
    static Map<String, GpuInfo> parse(String output) {
        Map<String, GpuInfo> gpus = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            String[] fields = line.split(",");
            if (fields.length < 3 || !fields[0].trim().matches("\\d+")) {
                continue;
            }
            String address = fields[0].trim();
            String cc = fields[fields.length - 1].trim();
            String name = line.substring(line.indexOf(',') + 1, line.lastIndexOf(',')).trim();
            gpus.put(address, new GpuInfo(address, name, capability(cc)));
        }
        return gpus;
    }

    private static Optional<GpuSupport.Capability> capability(String text) {
        if (!text.matches("\\d+\\.\\d+")) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.");
        return Optional.of(new GpuSupport.Capability(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
    }
}
