package io.sparksweep.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scripts in jobs/, run as people run them (from another directory, with their own PATH). */
class JobScriptsTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    private Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        builder.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        return new Result(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err,
                StandardCharsets.UTF_8));
    }

    private Path fakeNvidiaSmi(String output) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/usr/bin/env bash\nprintf '" + output + "'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static String script(String name) {
        return Path.of("jobs", name).toAbsolutePath().toString();
    }

    @Test
    void gpuDiscoveryPrintsSparksResourceJson() throws Exception {
        Path bin = fakeNvidiaSmi("0\\n1\\n3\\n");
        Result r = run(Map.of("PATH", bin + ":/usr/bin:/bin"), script("gpu-discovery.sh"));
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\", \"3\"]}\n", r.out());
    }

    @Test
    void gpuDiscoveryFailsClearlyWithoutADriverOrGpus() throws Exception {
        Result missing = run(Map.of("PATH", "/usr/bin:/bin"), script("gpu-discovery.sh"));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nvidia-smi not found"), missing.err());
        Path bin = fakeNvidiaSmi("");
        Result none = run(Map.of("PATH", bin + ":/usr/bin:/bin"), script("gpu-discovery.sh"));
        assertEquals(1, none.code());
        assertTrue(none.err().contains("lists no GPU"), none.err());
    }

    @Test
    void everyScriptHasHelp() throws Exception {
        for (String name : List.of("gpu-discovery.sh", "benchmark/run.sh")) {
            Result r = run(Map.of(), script(name), "--help");
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().length() > 40, name + " help: " + r.out());
        }
    }
}
