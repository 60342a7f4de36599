package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1, which looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment} and its
 * {@code isUseMKLDNN()} by reflection (in {@code BaseMKLDNNHelper.mklDnnEnabled}) before it lets a layer use a oneDNN
 * helper. In M2.1 that class moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the
 * method became {@code isUseONEDNN()}; the failed lookup silently disables every oneDNN helper for the life of the
 * JVM, leaving convolutions on DL4J's Java im2col path (about 10x slower). This class answers the old lookup with
 * the new binding. It ships inside the application jar, so executors see it too.
 *
 * <p>The binding is looked up by name because the CUDA build ({@code -Pcuda}) has no CPU backend on its classpath:
 * there the answer is simply "no oneDNN".
 */
public final class Nd4jCpu {
    private static final String CPU_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                Class<?> environment = Class.forName(CPU_ENVIRONMENT);
                Object instance = environment.getMethod("getInstance").invoke(null);
                Method useOneDnn = environment.getMethod("isUseONEDNN");
                return (Boolean) useOneDnn.invoke(instance);
            } catch (ClassNotFoundException e) {
                return false;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot ask the CPU backend whether oneDNN is enabled", e);
            }
        }
    }
}
