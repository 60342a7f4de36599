package io.sparksweep.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuProbeTest {
    @Test
    void parsesNvidiaSmiCsvIncludingNamesWithCommasAndUnknownCapabilities() {
        Map<String, GpuProbe.GpuInfo> gpus = GpuProbe.parse("""
                0, NVIDIA GeForce RTX 3090, 8.6
                1, NVIDIA H100 80GB HBM3, 9.0
                2, Tesla K80, rev 2, 3.7
                3, Some GPU, [N/A]
                """);
        assertEquals(4, gpus.size());
        assertEquals(new GpuProbe.GpuInfo("0", "NVIDIA GeForce RTX 3090", Optional.of(new GpuSupport.Capability(8, 6))),
                gpus.get("0"));
        assertEquals(new GpuSupport.Capability(9, 0), gpus.get("1").capability().orElseThrow());
        assertEquals("Tesla K80, rev 2", gpus.get("2").name());
        assertTrue(gpus.get("3").capability().isEmpty());
    }

    @Test
    void runsTheConfiguredCommandAndTreatsAMissingOneAsNoDriver(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\n[ \"$1\" = --query-gpu=index,name,compute_cap ] || exit 9\n"
                + "echo '0, NVIDIA A100-SXM4-40GB, 8.0'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        String before = System.getProperty(GpuProbe.COMMAND_PROPERTY);
        try {
            System.setProperty(GpuProbe.COMMAND_PROPERTY, fake.toString());
            assertEquals(Map.of("0", new GpuProbe.GpuInfo("0", "NVIDIA A100-SXM4-40GB",
                    Optional.of(new GpuSupport.Capability(8, 0)))), GpuProbe.probe());
            System.setProperty(GpuProbe.COMMAND_PROPERTY, dir.resolve("missing").toString());
            assertEquals(Map.of(), GpuProbe.probe());
        } finally {
            if (before == null) {
                System.clearProperty(GpuProbe.COMMAND_PROPERTY);
            } else {
                System.setProperty(GpuProbe.COMMAND_PROPERTY, before);
            }
        }
    }
}
