package io.sparksweep.device;

import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Which ND4J backends this JVM can use. The CUDA build carries both backends; ND4J picks CUDA whenever a CUDA
 * runtime answers (and CPU otherwise), once per JVM, at its first use. To run a JVM's trials on CPU although a
 * CUDA device is present (an unsupported GPU with {@code --gpu-fallback cpu}), {@link #restrictToCpu()} hides the
 * CUDA backend from ND4J's backend discovery before that first use.
 */
public final class Nd4jBackends {
    static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";
    static final String CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static final String SERVICE_FILE = "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend";

    private Nd4jBackends() {
    }

    /** True when the CUDA backend is on the classpath (a {@code -Pcuda} build). */
    public static boolean cudaInBuild() {
        return Build.CUDA;
    }

    /**
     * Looked up once per JVM: each trial asks, and a class that is absent is searched for in every jar of the
     * classpath before the lookup fails (a measurable part of a tiny trial's task).
     */
    private static final class Build {
        static final boolean CUDA = present(CUDA_BACKEND);
    }

    /** "cuda" or "cpu": the backend ND4J loaded in this JVM (loads it if needed). */
    public static String active() {
        String name = Nd4j.getBackend().getClass().getName();
        return name.equals(CUDA_BACKEND) ? "cuda" : "cpu";
    }

    /**
     * Makes ND4J's backend discovery see only the CPU backend. Effective only before ND4J's first use in this JVM;
     * returns false when the CPU backend is not on the classpath.
     */
    public static synchronized boolean restrictToCpu() {
        if (!present(CPU_BACKEND)) {
            return false;
        }
        ClassLoader current = ND4JClassLoading.getNd4jClassloader();
        if (current instanceof CpuOnly) {
            return true;
        }
        try {
            Path services = Files.createTempFile("sparksweep-nd4j-backend", ".txt");
            services.toFile().deleteOnExit();
            Files.writeString(services, CPU_BACKEND + "\n", StandardCharsets.UTF_8);
            ND4JClassLoading.setNd4jClassloader(new CpuOnly(current, services.toUri().toURL()));
            return true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot restrict ND4J to its CPU backend: " + e.getMessage(), e);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Nd4jBackends.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Delegates everything to the application class loader except the backend service list. */
    private static final class CpuOnly extends ClassLoader {
        private final URL services;

        CpuOnly(ClassLoader parent, URL services) {
            super(parent);
            this.services = services;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return SERVICE_FILE.equals(name) ? Collections.enumeration(List.of(services))
                    : super.getResources(name);
        }
    }
}
