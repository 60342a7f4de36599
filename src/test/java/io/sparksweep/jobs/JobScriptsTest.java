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
    void submitComposesSparkSubmitForEachClusterKind() throws Exception {
        Result yarn = run(Map.of(), script("submit.sh"), "--master", "yarn", "--gpu", "--print", "--", "run",
                "conf/sweeps/quick.yaml", "--output", "hdfs:///sweeps");
        assertEquals(0, yarn.code(), yarn.err());
        assertTrue(yarn.out().startsWith("spark-submit --master yarn --deploy-mode client --class io.sparksweep.cli.Main"
                + " --properties-file " + Path.of("conf/spark-defaults-gpu.conf").toAbsolutePath()), yarn.out());
        assertTrue(yarn.out().strip().endsWith(Path.of("target/cuda/sparksweep.jar").toAbsolutePath()
                + " run conf/sweeps/quick.yaml --output hdfs:///sweeps"), yarn.out());
        Result k8s = run(Map.of("SPARK_HOME", "/opt/spark"), script("submit.sh"), "--master", "k8s://https://api:6443",
                "--spark-conf", "spark.kubernetes.container.image=sweep:1", "--print", "--", "run", "x.yaml");
        assertTrue(k8s.out().startsWith("/opt/spark/bin/spark-submit --master k8s://https://api:6443"), k8s.out());
        assertTrue(k8s.out().contains("spark-defaults-cpu.conf --conf spark.kubernetes.container.image=sweep:1 "),
                k8s.out());
        assertTrue(k8s.out().contains(Path.of("target/sparksweep.jar").toAbsolutePath() + " run x.yaml"), k8s.out());
    }

    @Test
    void submitFailsClearlyWithoutSparkOrArguments() throws Exception {
        Result noSpark = run(Map.of("PATH", "/usr/bin:/bin", "SPARK_HOME", tmp.toString()), script("submit.sh"),
                "--master", "spark://127.0.0.1:7077", "--", "run", "x.yaml");
        assertTrue(noSpark.code() == 1 && (noSpark.err().contains("spark-submit not found")
                || noSpark.err().contains("sparksweep.jar is missing")), noSpark.err());
        Result noMaster = run(Map.of(), script("submit.sh"), "--", "run", "x.yaml");
        assertEquals(2, noMaster.code());
        assertTrue(noMaster.err().contains("--master is required"), noMaster.err());
    }

    @Test
    void everyScriptHasHelp() throws Exception {
        for (String name : List.of("gpu-discovery.sh", "benchmark/run.sh", "benchmark/scale.sh", "submit.sh")) {
            Result r = run(Map.of(), script(name), "--help");
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().length() > 40, name + " help: " + r.out());
        }
    }

    @Test
    void theScaleBenchmarkRefusesATrialCountItCannotLayOutAsAGrid() throws Exception {
        for (String n : List.of("15", "0", "many", "730")) {
            Result r = run(Map.of(), script("benchmark/scale.sh"), n);
            assertEquals(2, r.code(), n + ": " + r.err());
            assertTrue(r.err().startsWith("scale.sh: N "), n + ": " + r.err());
        }
    }
}
