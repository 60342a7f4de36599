package io.sparksweep.cli;

import io.sparksweep.train.ModelFile;
import io.sparksweep.train.NativeRuntime;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of the commands that use a model file: which file, and stack traces. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "a model zip a sweep kept (see 'models' and 'export')")
    Path model;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    /**
     * The model, read and checked, on one ND4J thread: the thread count a trial had by default, so its forward
     * pass computes exactly what the trial's evaluation did.
     */
    ModelFile.Loaded load() {
        NativeRuntime.configure(1);
        return ModelFile.read(model);
    }
}
