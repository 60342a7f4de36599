package io.sparksweep.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4jBackend;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Nd4jBackendsTest {
    @Test
    void theDefaultBuildIsCpuOnly() {
        assertFalse(Nd4jBackends.cudaInBuild());
        assertEquals("cpu", Nd4jBackends.active());
    }

    @Test
    void restrictingToCpuHidesTheCudaBackendFromNd4jsDiscovery(@TempDir Path dir) throws Exception {
        // a classpath that also announces the CUDA backend, as the -Pcuda jar's merged service file does
        Path services = dir.resolve("META-INF/services/" + Nd4jBackend.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, Nd4jBackends.CUDA_BACKEND + "\n" + Nd4jBackends.CPU_BACKEND + "\n");
        ClassLoader before = ND4JClassLoading.getNd4jClassloader();
        try (URLClassLoader withCuda = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
            ND4JClassLoading.setNd4jClassloader(withCuda);
            assertTrue(announced().contains(Nd4jBackends.CUDA_BACKEND));

            assertTrue(Nd4jBackends.restrictToCpu());
            List<String> visible = ServiceLoader.load(Nd4jBackend.class, ND4JClassLoading.getNd4jClassloader())
                    .stream().map(p -> p.type().getName()).toList();
            assertEquals(List.of(Nd4jBackends.CPU_BACKEND), visible);
            // classes still come from the application class loader: the same ND4J, nothing loaded twice
            assertEquals(Nd4jBackend.class, ND4JClassLoading.loadClassByName(Nd4jBackend.class.getName()));
        } finally {
            ND4JClassLoading.setNd4jClassloader(before);
        }
    }

    private static String announced() throws Exception {
        StringBuilder text = new StringBuilder();
        var urls = ND4JClassLoading.getNd4jClassloader().getResources("META-INF/services/"
                + Nd4jBackend.class.getName());
        while (urls.hasMoreElements()) {
            try (var in = urls.nextElement().openStream()) {
                text.append(new String(in.readAllBytes()));
            }
        }
        return text.toString();
    }
}
